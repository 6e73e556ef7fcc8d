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
package dev.sessiontimeout.benchmarks.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.data.redis.RedisSessionRepository;

import dev.sessiontimeout.benchmarks.BenchmarkApplication;

/**
 * The read of the starter's state attribute by Spring Session's default Redis store, as
 * on every request: by the store's serializer of session attributes as the benchmark
 * application configures it with the starter disabled (Spring Session's own Java
 * serialization) and enabled (which has it read such a string directly; Spring Session's
 * JDBC store gets the same). The setup starts the benchmark application twice on the
 * {@code redis-default} profile (Redis on {@code 127.0.0.1:6379}) to take each store's
 * serializer; the measurement sends no request and no Redis command.
 *
 * @author session-timeout
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoredStateReadBenchmark {

	/**
	 * The state of a signed-in session with a policy, as the starter writes it.
	 */
	static final String STATE = "3;1764633600000;1764634500000;1764633600000;4.7;;PT1H,PT10M,-,PT5M,0,users";

	/**
	 * The read with the starter disabled.
	 * @param serializers the stores' serializers and the serialized state
	 * @return the state
	 */
	@Benchmark
	public Object starterDisabled(Serializers serializers) {
		return serializers.disabled.deserialize(serializers.state);
	}

	/**
	 * The read with the starter enabled.
	 * @param serializers the stores' serializers and the serialized state
	 * @return the state
	 */
	@Benchmark
	public Object starterEnabled(Serializers serializers) {
		return serializers.enabled.deserialize(serializers.state);
	}

	/**
	 * The serializers of session attributes of the two applications' stores, and the
	 * state as Java serialization writes it.
	 */
	@State(Scope.Benchmark)
	public static class Serializers {

		RedisSerializer<?> disabled;

		RedisSerializer<?> enabled;

		byte[] state;

		@Setup
		public void setUp() {
			this.disabled = serializer(false);
			this.enabled = serializer(true);
			this.state = new JdkSerializationRedisSerializer().serialize(STATE);
			if (this.enabled.getClass() == this.disabled.getClass()
					|| !STATE.equals(this.enabled.deserialize(this.state))
					|| !STATE.equals(this.disabled.deserialize(this.state))) {
				throw new IllegalStateException(
						"Not the serializers to compare: " + this.disabled + ", " + this.enabled);
			}
		}

		private static RedisSerializer<?> serializer(boolean starterEnabled) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
				.profiles("redis-default")
				.properties("server.port=0", "benchmark.instance=jmh", "session-timeout.enabled=" + starterEnabled,
						"logging.level.root=warn")
				.run()) {
				RedisSessionRepository repository = context.getBean(RedisSessionRepository.class);
				return ((RedisTemplate<?, ?>) repository.getSessionRedisOperations()).getHashValueSerializer();
			}
		}

	}

}
