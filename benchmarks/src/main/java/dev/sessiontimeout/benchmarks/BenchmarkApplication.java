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
package dev.sessiontimeout.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The application that the load comparison runs: form login (CSRF on) with one in-memory
 * user, {@code user} / {@code password}, a JSON endpoint {@code GET /api/me}, and the
 * starter, on the session store of one of the profiles {@code redis-default},
 * {@code redis-indexed}, {@code jdbc-h2} or {@code jdbc-postgres}. Whether the starter is
 * on is {@code session-timeout.enabled}, given on the command line.
 * <p>
 * {@code benchmark.instance} names this process's store data (the Redis key namespace,
 * the H2 database); unset, each start gets a fresh one, so that two processes never share
 * sessions.
 *
 * @author session-timeout
 */
@SpringBootApplication
public class BenchmarkApplication {

	/**
	 * The profiles of which exactly one selects the session store.
	 */
	static final List<String> STORE_PROFILES = List.of("redis-default", "redis-indexed", "jdbc-h2", "jdbc-postgres");

	/**
	 * Run the application.
	 * @param args Spring Boot arguments, such as
	 * {@code --spring.profiles.active=redis-default --session-timeout.enabled=true}
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BenchmarkApplication.class);
		application.setDefaultProperties(Map.of("benchmark.instance", UUID.randomUUID().toString()));
		application.addListeners(new StoreCheck());
		application.run(args);
	}

	/**
	 * Checks the store profile once the environment is prepared. A class, not a lambda:
	 * the application context keeps the application's listeners, and one whose event type
	 * Spring cannot resolve is called for every event, such as the
	 * {@code ServletRequestHandledEvent} of every request, and answers each with a
	 * {@code ClassCastException} that Spring catches.
	 */
	private static final class StoreCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

		@Override
		public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
			checkStore(event.getEnvironment());
		}

	}

	private static void checkStore(ConfigurableEnvironment environment) {
		List<String> stores = Arrays.stream(environment.getActiveProfiles()).filter(STORE_PROFILES::contains).toList();
		if (stores.size() != 1) {
			throw new IllegalStateException("Activate exactly one session store profile of " + STORE_PROFILES
					+ " (--spring.profiles.active=...), not " + stores);
		}
		if (environment.getProperty("session-timeout.enabled") == null) {
			throw new IllegalStateException("Set --session-timeout.enabled=true or false: the comparison needs both");
		}
	}

}
