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

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Points the tests at a PostgreSQL server: {@code SESSION_TIMEOUT_POSTGRES_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code SESSION_TIMEOUT_POSTGRES_USER}
 * (default {@code postgres}) and {@code SESSION_TIMEOUT_POSTGRES_PASSWORD}. PostgreSQL
 * refuses to run as root, so it is never started by the tests; each test class gets a
 * schema of its own, dropped when the JVM exits.
 */
public final class PostgresServers {

	/**
	 * How long creating or dropping a test schema may take: its statements wait for locks
	 * without a bound otherwise.
	 */
	private static final int STATEMENT_TIMEOUT_SECONDS = 30;

	private PostgresServers() {
	}

	/**
	 * Create a fresh schema, failing or skipping the test if no server answers.
	 * @return how to connect to it
	 */
	public static Database newSchema() {
		String url = System.getenv()
			.getOrDefault("SESSION_TIMEOUT_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
		String user = System.getenv().getOrDefault("SESSION_TIMEOUT_POSTGRES_USER", "postgres");
		String password = System.getenv().getOrDefault("SESSION_TIMEOUT_POSTGRES_PASSWORD", "");
		String schema = "session_timeout_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		DriverManager.setLoginTimeout(3);
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
			statement.execute("CREATE SCHEMA " + schema);
		}
		catch (SQLException ex) {
			StoreRequirement.missing("PostgreSQL",
					"could not connect to " + url + " as " + user + " (" + ex.getMessage()
							+ "); set SESSION_TIMEOUT_POSTGRES_URL, SESSION_TIMEOUT_POSTGRES_USER and"
							+ " SESSION_TIMEOUT_POSTGRES_PASSWORD to point the tests at a server");
		}
		Database database = new Database(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user,
				password);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> dropSchema(url, user, password, schema)));
		return database;
	}

	private static void dropSchema(String url, String user, String password, String schema) {
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			// A connection of this JVM left holding a lock on the schema's tables must
			// not hold its exit
			statement.setQueryTimeout(STATEMENT_TIMEOUT_SECONDS);
			statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
		catch (SQLException ex) {
			// Best effort: the schema name is unique per run
		}
	}

	/**
	 * How to connect to a test schema.
	 *
	 * @param url the JDBC URL, naming the schema
	 * @param user the user
	 * @param password the password
	 */
	public record Database(String url, String user, String password) {
	}

}
