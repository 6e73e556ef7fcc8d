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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.env.Environment;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.SpringSessionDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * {@link PrivilegeGrants} in Spring Session's JDBC store: the request whose transaction
 * locks the grant's attribute row (with an {@code UPDATE} that changes nothing, which
 * every database Spring Session supports takes a row lock for, where
 * {@code SELECT ... FOR UPDATE} is not everywhere), finds it still holding that grant and
 * deletes it uses it; the row lock makes the other one find nothing. Comparing the value
 * matters as on Redis: a later authentication's grant, saved meanwhile under the same
 * session id, is not an older copy's to use. The other request's copy of the session
 * still holds the attribute, but Spring Session saves only the attributes a request
 * changed, so it is not written back. The claim runs in a transaction of its own, never
 * in one of the application's, so it is the store's answer once made. Each of its
 * statements has a query timeout ({@code spring.jdbc.template.query-timeout}, else
 * {@link #DEFAULT_QUERY_TIMEOUT}): a row lock that another transaction holds and does not
 * end (one whose client is gone, which the database keeps until it notices) fails the
 * claim as the store's outage, as a Redis claim without an answer does, instead of
 * holding its request forever.
 *
 * @author session-timeout
 */
final class JdbcPrivilegeGrants implements PrivilegeGrants {

	/**
	 * How long each statement of a claim may take when the application sets no
	 * {@code spring.jdbc.template.query-timeout}: a claim takes milliseconds, unless a
	 * row lock holds it.
	 */
	static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(10);

	private static final TypeDescriptor BYTES = TypeDescriptor.valueOf(byte[].class);

	private static final TypeDescriptor OBJECT = TypeDescriptor.valueOf(Object.class);

	private final JdbcOperations jdbc;

	private final TransactionOperations transactions;

	private final @Nullable ConversionService conversionService;

	private final String lock;

	private final String select;

	private final String delete;

	/**
	 * Create an instance.
	 * @param dataSource the data source of Spring Session's tables
	 * @param tableName the name of the session table, {@code SPRING_SESSION} by default
	 */
	JdbcPrivilegeGrants(DataSource dataSource, String tableName) {
		this(dataSource, tableName, null);
	}

	/**
	 * Create an instance.
	 * @param dataSource the data source of Spring Session's tables
	 * @param tableName the name of the session table, {@code SPRING_SESSION} by default
	 * @param conversionService the conversion service that the application gives Spring
	 * Session to read attributes, or {@code null} for Java serialization
	 */
	JdbcPrivilegeGrants(DataSource dataSource, String tableName, @Nullable ConversionService conversionService) {
		this(dataSource, tableName, conversionService, DEFAULT_QUERY_TIMEOUT);
	}

	/**
	 * Create an instance.
	 * @param dataSource the data source of Spring Session's tables
	 * @param tableName the name of the session table, {@code SPRING_SESSION} by default
	 * @param conversionService the conversion service that the application gives Spring
	 * Session to read attributes, or {@code null} for Java serialization
	 * @param queryTimeout how long each statement of a claim may take, at least a second
	 */
	JdbcPrivilegeGrants(DataSource dataSource, String tableName, @Nullable ConversionService conversionService,
			Duration queryTimeout) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		jdbc.setQueryTimeout((int) Math.max(1, queryTimeout.toSeconds()));
		this.jdbc = jdbc;
		// A transaction of its own, as Spring Session's JDBC repository takes for its
		// writes: a claim made while a transaction of the application runs on the same
		// data source (a @Transactional caller) is neither undone by its rollback (the
		// grant would serve twice) nor refused by its read-only mode (PostgreSQL), and
		// the row lock is not held until the application commits
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.transactions = transactions;
		this.conversionService = conversionService;
		String where = " WHERE ATTRIBUTE_NAME = ? AND SESSION_PRIMARY_ID = (SELECT PRIMARY_ID FROM " + tableName
				+ " WHERE SESSION_ID = ?)";
		this.lock = "UPDATE " + tableName + "_ATTRIBUTES SET ATTRIBUTE_NAME = ATTRIBUTE_NAME" + where;
		this.select = "SELECT ATTRIBUTE_BYTES FROM " + tableName + "_ATTRIBUTES" + where;
		this.delete = "DELETE FROM " + tableName + "_ATTRIBUTES" + where;
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
		return new JdbcPrivilegeGrants(dataSource, tableNameOf(repository, environment),
				applicationConversionService(beans), queryTimeout(environment));
	}

	/**
	 * Return the name of the session table of Spring Session's JDBC repository, as set on
	 * the repository itself: by Spring Boot from {@code spring.session.jdbc.table-name},
	 * or by the application ({@code @EnableJdbcHttpSession(tableName = ...)}, a
	 * {@code SessionRepositoryCustomizer}). Spring Session has no getter for it, so the
	 * field that its {@code setTableName} writes is read ({@link SpringSessionFields}: a
	 * WARN where it is missing); else the property.
	 * @param repository the application's session repository
	 * @param environment the environment, for {@code spring.session.jdbc.table-name}
	 * @return the table name
	 */
	static String tableNameOf(Object repository, Environment environment) {
		String fallback = environment.getProperty("spring.session.jdbc.table-name", "SPRING_SESSION");
		String tableName = SpringSessionFields.read(repository, "session table name", "table " + fallback, "tableName");
		return (tableName != null && !tableName.isBlank()) ? tableName : fallback;
	}

	/**
	 * Return the query timeout of the application's JDBC statements
	 * ({@code spring.jdbc.template.query-timeout}, in seconds unless it names a unit), or
	 * {@link #DEFAULT_QUERY_TIMEOUT} if none is set.
	 */
	static Duration queryTimeout(Environment environment) {
		String configured = environment.getProperty("spring.jdbc.template.query-timeout");
		if (configured == null || configured.isBlank()) {
			return DEFAULT_QUERY_TIMEOUT;
		}
		Duration timeout = DurationStyle.detectAndParse(configured.strip(), ChronoUnit.SECONDS);
		return (timeout.isZero() || timeout.isNegative()) ? DEFAULT_QUERY_TIMEOUT : timeout;
	}

	/**
	 * Return the conversion service that Spring Session's JDBC configuration takes from
	 * the application, as it takes it: {@code springSessionConversionService}, else
	 * {@code conversionService}.
	 */
	private static @Nullable ConversionService applicationConversionService(ListableBeanFactory beans) {
		for (String name : List.of("springSessionConversionService", "conversionService")) {
			if (beans.containsBean(name) && beans.isTypeMatch(name, ConversionService.class)) {
				return beans.getBean(name, ConversionService.class);
			}
		}
		return null;
	}

	@Override
	public boolean use(String sessionId, long grant) {
		return use(sessionId, (bytes) -> holds(bytes, grant));
	}

	/**
	 * Uses the grant while the session's row holds it as the request's copy does: its
	 * text, the nonce of its authentication included.
	 */
	@Override
	public boolean use(String sessionId, Instant createdAt, String grant) {
		return use(sessionId, (bytes) -> holds(bytes, grant));
	}

	private boolean use(String sessionId, Predicate<byte @Nullable []> holdsGrant) {
		Boolean used = this.transactions.execute((status) -> {
			this.jdbc.update(this.lock, SessionAttributes.PRIVILEGE_GRANT, sessionId);
			List<byte[]> values = this.jdbc.query(this.select, (row, index) -> row.getBytes(1),
					SessionAttributes.PRIVILEGE_GRANT, sessionId);
			if (values.size() != 1 || !holdsGrant.test(values.get(0))) {
				return false;
			}
			return this.jdbc.update(this.delete, SessionAttributes.PRIVILEGE_GRANT, sessionId) == 1;
		});
		return Boolean.TRUE.equals(used);
	}

	/**
	 * Return whether an attribute's bytes hold the grant as text, by Java serialization
	 * or by the application's own conversion service.
	 */
	private boolean holds(byte @Nullable [] bytes, String grant) {
		if (bytes == null) {
			return false;
		}
		String text = JavaSerializedStrings.read(bytes);
		if (text != null) {
			return text.equals(grant);
		}
		if (this.conversionService == null) {
			return false;
		}
		try {
			return grant.equals(this.conversionService.convert(bytes, BYTES, OBJECT));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Return whether an attribute's bytes hold a grant of the given instant: written as
	 * text (with the nonce of its authentication or, as earlier versions wrote it,
	 * without), or as a {@code Long} (version 0.1.0), by Java serialization or by the
	 * application's own conversion service.
	 */
	private boolean holds(byte @Nullable [] bytes, long grant) {
		if (bytes == null) {
			return false;
		}
		String text = JavaSerializedStrings.read(bytes);
		if (text != null) {
			return Objects.equals(SessionAttributes.grantOf(text), grant);
		}
		if (Arrays.equals(bytes, new SerializingConverter().convert(grant))) {
			return true;
		}
		if (this.conversionService == null) {
			return false;
		}
		try {
			return Objects.equals(SessionAttributes.grantOf(this.conversionService.convert(bytes, BYTES, OBJECT)),
					grant);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
