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

import java.io.EOFException;
import java.io.StreamCorruptedException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.core.serializer.support.SerializationFailedException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StoreFailures}.
 *
 * @author session-timeout
 */
class StoreFailuresTests {

	@Test
	void isUnavailableWhenTheStoreDoesNotAnswerThenTrue() {
		assertThat(StoreFailures.isUnavailable(new QueryTimeoutException("Redis command timed out"))).isTrue();
		assertThat(StoreFailures.isUnavailable(new RedisConnectionFailureException("Unable to connect"))).isTrue();
		assertThat(StoreFailures.isUnavailable(new CannotCreateTransactionException("Could not open connection",
				new SQLTransientConnectionException("Connection is not available", "08001"))))
			.isTrue();
		assertThat(StoreFailures.isUnavailable(new CannotGetJdbcConnectionException("No connection"))).isTrue();
		assertThat(StoreFailures.isUnavailable(
				new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"))))
			.isTrue();
		assertThat(StoreFailures.isUnavailable(new IllegalStateException("wrapped", new ConnectException("refused"))))
			.isTrue();
		assertThat(StoreFailures.isUnavailable(new RuntimeException(new SQLException("I/O error", "08006")))).isTrue();
	}

	@Test
	void isUnavailableWhenLettuceFailsUntranslatedThenTrue() {
		// What Spring Session's reactive Redis repositories pass on as Lettuce threw it
		assertThat(StoreFailures
			.isUnavailable(new RedisCommandTimeoutException("HGETALL. Command timed out after 5 second(s)"))).isTrue();
		assertThat(StoreFailures.isUnavailable(new RedisConnectionException("Unable to connect to localhost:6379")))
			.isTrue();
		assertThat(StoreFailures.isUnavailable(new RedisCommandExecutionException("WRONGTYPE Operation"))).isFalse();
	}

	@Test
	void isUnavailableWhenTheStoreAnsweredBytesThatCannotBeDecodedThenFalse() {
		// As Spring Data Redis' JdkSerializationRedisSerializer and Spring Session's JDBC
		// conversion wrap the stream's complaint, an IOException
		assertThat(
				StoreFailures
					.isUnavailable(
							new SerializationException("Cannot deserialize",
									new SerializationFailedException("Failed to deserialize payload",
											new StreamCorruptedException("invalid stream header: 67617262")))))
			.isFalse();
		assertThat(StoreFailures.isUnavailable(new ConversionFailedException(TypeDescriptor.valueOf(byte[].class),
				TypeDescriptor.valueOf(Object.class), new byte[] { 1, 2, 3 },
				new SerializationFailedException("Failed to deserialize payload", new EOFException()))))
			.isFalse();
	}

	@Test
	void isUnavailableWhenAnythingElseThenFalse() {
		assertThat(StoreFailures.isUnavailable(new SerializationException("Cannot deserialize"))).isFalse();
		assertThat(StoreFailures.isUnavailable(new IllegalStateException("Session was invalidated"))).isFalse();
		assertThat(StoreFailures.isUnavailable(new RuntimeException(new SQLException("syntax error", "42601"))))
			.isFalse();
		assertThat(StoreFailures.isUnavailable(new NullPointerException())).isFalse();
	}

}
