/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package dev.sessiontimeout.autoconfigure;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.SpringSessionDataSource;

import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * {@link PrivilegeGrants} in Spring Session's JDBC store: the request whose
 * {@code DELETE} removes the grant's attribute row uses it; the database's row lock makes
 * the other one find nothing to delete. The other request's copy of the session still
 * holds the attribute, but Spring Session saves only the attributes a request changed, so
 * it is not written back.
 *
 * @author session-timeout
 */
final class JdbcPrivilegeGrants implements PrivilegeGrants {

	private final JdbcOperations jdbc;

	private final String delete;

	/**
	 * Create an instance.
	 * @param dataSource the data source of Spring Session's tables
	 * @param tableName the name of the session table, {@code SPRING_SESSION} by default
	 */
	JdbcPrivilegeGrants(DataSource dataSource, String tableName) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.delete = "DELETE FROM " + tableName + "_ATTRIBUTES WHERE ATTRIBUTE_NAME = ? AND SESSION_PRIMARY_ID = "
				+ "(SELECT PRIMARY_ID FROM " + tableName + " WHERE SESSION_ID = ?)";
	}

	/**
	 * Return an instance for Spring Session's JDBC store, on the data source Spring Boot
	 * gives it: the one qualified {@code @SpringSessionDataSource}, else the only one.
	 * @param repository the application's session repository
	 * @param beans the application's beans
	 * @param environment the environment, for {@code spring.session.jdbc.table-name}
	 * @return the instance, or {@code null} if the repository is another one
	 */
	static @Nullable JdbcPrivilegeGrants of(@Nullable Object repository, ListableBeanFactory beans,
			Environment environment) {
		if (!(repository instanceof JdbcIndexedSessionRepository)) {
			return null;
		}
		List<String> qualified = Arrays.stream(beans.getBeanNamesForAnnotation(SpringSessionDataSource.class))
			.filter((name) -> beans.isTypeMatch(name, DataSource.class))
			.toList();
		DataSource dataSource = (qualified.size() == 1) ? beans.getBean(qualified.get(0), DataSource.class)
				: beans.getBeanProvider(DataSource.class).getIfUnique();
		if (dataSource == null) {
			return null;
		}
		return new JdbcPrivilegeGrants(dataSource,
				environment.getProperty("spring.session.jdbc.table-name", "SPRING_SESSION"));
	}

	@Override
	public boolean use(String sessionId, long grant) {
		return this.jdbc.update(this.delete, SessionAttributes.PRIVILEGE_GRANT, sessionId) == 1;
	}

}
