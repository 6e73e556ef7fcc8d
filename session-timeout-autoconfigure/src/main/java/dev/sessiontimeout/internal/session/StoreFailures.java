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
package dev.sessiontimeout.internal.session;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.serializer.support.SerializationFailedException;
import org.springframework.util.ClassUtils;

/**
 * Tells a session store that does not answer (a connection refused or lost, a timeout, a
 * transaction that could not be opened or rolled back) from anything else a session
 * lookup can throw (a session that cannot be read back, a bug): only the former is
 * answered with a {@code 503}. A failure to read back what the store answered is never
 * the former, whatever I/O complaint of the deserializing stream it carries.
 *
 * @author session-timeout
 */
public final class StoreFailures {

	private static final @Nullable Class<?> DATA_ACCESS_RESOURCE_FAILURE = type(
			"org.springframework.dao.DataAccessResourceFailureException");

	private static final @Nullable Class<?> TRANSIENT_DATA_ACCESS = type(
			"org.springframework.dao.TransientDataAccessException");

	private static final @Nullable Class<?> CANNOT_CREATE_TRANSACTION = type(
			"org.springframework.transaction.CannotCreateTransactionException");

	private static final @Nullable Class<?> TRANSACTION_SYSTEM = type(
			"org.springframework.transaction.TransactionSystemException");

	private static final @Nullable Class<?> CANNOT_GET_JDBC_CONNECTION = type(
			"org.springframework.jdbc.CannotGetJdbcConnectionException");

	/**
	 * Lettuce's own timeout, which Spring Session's reactive Redis repositories pass on
	 * untranslated (the servlet ones get Spring's {@code QueryTimeoutException}).
	 */
	private static final @Nullable Class<?> LETTUCE_COMMAND_TIMEOUT = type(
			"io.lettuce.core.RedisCommandTimeoutException");

	private static final @Nullable Class<?> LETTUCE_CONNECTION = type("io.lettuce.core.RedisConnectionException");

	private static final @Nullable Class<?> REDIS_SERIALIZATION = type(
			"org.springframework.data.redis.serializer.SerializationException");

	private StoreFailures() {
	}

	/**
	 * Return whether a failure means that the store does not answer.
	 * @param ex what a session lookup threw
	 * @return {@code true} for a connection or timeout failure of the store
	 */
	public static boolean isUnavailable(Throwable ex) {
		Throwable current = ex;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (isUndecodable(current)) {
				// The store answered, with bytes that cannot be read back: whatever the
				// stream complained of (an IOException, as a cut-short stream is) is no
				// connection's failure
				return false;
			}
			if (isInstance(DATA_ACCESS_RESOURCE_FAILURE, current) || isInstance(TRANSIENT_DATA_ACCESS, current)
					|| isInstance(CANNOT_CREATE_TRANSACTION, current) || isInstance(TRANSACTION_SYSTEM, current)
					|| isInstance(CANNOT_GET_JDBC_CONNECTION, current) || isInstance(LETTUCE_COMMAND_TIMEOUT, current)
					|| isInstance(LETTUCE_CONNECTION, current) || current instanceof TimeoutException
					|| current instanceof IOException
					|| (current instanceof SQLException sql && isConnectionState(sql.getSQLState()))) {
				return true;
			}
			current = current.getCause();
		}
		return false;
	}

	/**
	 * Return whether a failure is that of reading back what the store answered: Spring
	 * Data Redis' serializers, Spring's (de)serializing converters as Spring Session's
	 * JDBC store uses them, and Java serialization itself.
	 */
	private static boolean isUndecodable(Throwable ex) {
		return isInstance(REDIS_SERIALIZATION, ex) || ex instanceof SerializationFailedException
				|| ex instanceof ConversionFailedException || ex instanceof ObjectStreamException;
	}

	/**
	 * Return whether an SQL state is of class 08, connection exception.
	 */
	private static boolean isConnectionState(@Nullable String state) {
		return state != null && state.startsWith("08");
	}

	private static boolean isInstance(@Nullable Class<?> type, Throwable ex) {
		return type != null && type.isInstance(ex);
	}

	private static @Nullable Class<?> type(String name) {
		ClassLoader loader = StoreFailures.class.getClassLoader();
		return ClassUtils.isPresent(name, loader) ? ClassUtils.resolveClassName(name, loader) : null;
	}

}
