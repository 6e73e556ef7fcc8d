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
package dev.sessiontimeout.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Records the SQL of every statement an application prepares, through a wrapper around
 * its {@link DataSource}, so that a test can compare the statements of a request with and
 * without the starter.
 */
public final class StatementLog implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private final List<String> statements = new ArrayList<>();

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof DataSource dataSource && !(bean instanceof RecordingDataSource))
						? new RecordingDataSource(dataSource) : bean;
			}

		});
	}

	/**
	 * Return the statements prepared since the last call, and forget them.
	 * @return the SQL of each, in order
	 */
	public synchronized List<String> drain() {
		List<String> drained = List.copyOf(this.statements);
		this.statements.clear();
		return drained;
	}

	private synchronized void record(String sql) {
		this.statements.add(sql.replaceAll("\\s+", " ").trim());
	}

	private final class RecordingDataSource extends DelegatingDataSource {

		RecordingDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			return recording(super.getConnection());
		}

		@Override
		public Connection getConnection(String username, String password) throws SQLException {
			return recording(super.getConnection(username, password));
		}

		private Connection recording(Connection connection) {
			return (Connection) Proxy.newProxyInstance(StatementLog.class.getClassLoader(),
					new Class<?>[] { Connection.class }, (proxy, method, args) -> {
						if ((method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))
								&& args != null && args[0] instanceof String sql) {
							record(sql);
						}
						try {
							return method.invoke(connection, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getTargetException();
						}
					});
		}

	}

}
