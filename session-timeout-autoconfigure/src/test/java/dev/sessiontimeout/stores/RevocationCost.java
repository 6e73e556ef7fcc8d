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
package dev.sessiontimeout.stores;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revoking a user costs store operations in proportion to that user's sessions, never to
 * the store's: a user with 10 sessions and one with 1,000 are revoked in the same store,
 * and each kind of operation (a Redis command, an SQL statement) must come as a fixed
 * number per revoked session plus at most {@value #MOST_FIXED} per revocation, counted,
 * not timed.
 */
final class RevocationCost {

	/**
	 * The most operations of one kind a revocation may take whatever the number of
	 * sessions (looking up the user's index, removing the remember-me tokens).
	 */
	static final int MOST_FIXED = 3;

	/**
	 * Operations of one kind that background work of the store (the indexed Redis
	 * repository's cleanup each minute) may add while a revocation is counted.
	 */
	private static final int BACKGROUND = 2;

	private RevocationCost() {
	}

	/**
	 * Sign in a user of 10 sessions and one of 1,000, revoke each, and assert the
	 * operations of each revocation.
	 * @param application the application, its store counted
	 * @param operations returns the store operations since its last call, and forgets
	 * them
	 * @param kind the kind of an operation, such as a Redis command's name
	 */
	static void assertProportionalToTheUsersSessions(ConfigurableApplicationContext application,
			Supplier<List<String>> operations, Function<String, String> kind) throws Exception {
		assertProportionalToTheUsersSessions(application, operations, kind, Set.of());
	}

	/**
	 * Sign in a user of 10 sessions and one of 1,000, revoke each, and assert the
	 * operations of each revocation, some kinds of which the store runs for some of the
	 * sessions only, depending on when: at most one per session of those.
	 * @param application the application, its store counted
	 * @param operations returns the store operations since its last call, and forgets
	 * them
	 * @param kind the kind of an operation, such as a Redis command's name
	 * @param atMostOnePerSession the kinds of operation that the store runs for a session
	 * or not, depending on the time
	 */
	static void assertProportionalToTheUsersSessions(ConfigurableApplicationContext application,
			Supplier<List<String>> operations, Function<String, String> kind, Set<String> atMostOnePerSession)
			throws Exception {
		String ofTen = signIn(application, 10);
		String ofAThousand = signIn(application, 1000);
		UserSessions userSessions = application.getBean(UserSessions.class);
		operations.get();
		assertThat(userSessions.revokeAll(ofTen)).isEqualTo(10);
		Map<String, Long> ten = count(operations.get(), kind);
		assertThat(userSessions.revokeAll(ofAThousand)).isEqualTo(1000);
		Map<String, Long> thousand = count(operations.get(), kind);
		System.out.println("Store operations of revoking 10 sessions: " + ten + "; of revoking 1,000: " + thousand);
		assertThat(ten).as("operations of revoking 10 sessions").isNotEmpty();
		for (String operation : new TreeSet<>(union(ten, thousand))) {
			long ofTenSessions = ten.getOrDefault(operation, 0L);
			long ofThousandSessions = thousand.getOrDefault(operation, 0L);
			if (atMostOnePerSession.contains(operation)) {
				assertThat(ofTenSessions).as("%s: %s of 10 sessions", operation, ofTenSessions)
					.isLessThanOrEqualTo(10 + BACKGROUND);
				assertThat(ofThousandSessions).as("%s: %s of 1,000 sessions", operation, ofThousandSessions)
					.isLessThanOrEqualTo(1000 + BACKGROUND);
				continue;
			}
			long perSession = Math.round((ofThousandSessions - ofTenSessions) / 990.0);
			assertThat(ofThousandSessions - ofTenSessions - 990 * perSession)
				.as("%s: %s of 1,000 sessions, %s of 10, not a number per session", operation, ofThousandSessions,
						ofTenSessions)
				.isBetween((long) -BACKGROUND, (long) BACKGROUND);
			assertThat(ofTenSessions - 10 * perSession)
				.as("%s: %s per session, %s of 10 sessions: more than %s per revocation", operation, perSession,
						ofTenSessions, MOST_FIXED)
				.isBetween(0L, (long) MOST_FIXED + BACKGROUND);
		}
	}

	/**
	 * Add a user that signs in in sessions of their own, each in a browser of its own.
	 */
	private static String signIn(ConfigurableApplicationContext application, int sessions) throws Exception {
		String username = "revoked-" + UUID.randomUUID().toString().substring(0, 8);
		application.getBean(InMemoryUserDetailsManager.class)
			.createUser(User.withUsername(username).password("{noop}password").roles("USER").build());
		int port = ((WebServerApplicationContext) application).getWebServer().getPort();
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<Integer>> logins = IntStream.range(0, sessions)
				.mapToObj((i) -> executor.submit(() -> signIn(new TestBrowser(port), username)))
				.toList();
			for (Future<Integer> login : logins) {
				assertThat(login.get()).isEqualTo(200);
			}
		}
		finally {
			executor.shutdown();
		}
		return username;
	}

	/**
	 * Sign a user in the way some applications do it themselves, which checks no password
	 * (a form login checks a hash that costs a tenth of a second), then make the first
	 * request of the session, which indexes it for its user where the starter keeps the
	 * index.
	 */
	private static int signIn(TestBrowser browser, String username) {
		assertThat(browser.post("/test/programmatic-login", Map.of("username", username), TestBrowser.JSON).status())
			.isEqualTo(200);
		return browser.get("/api/me", TestBrowser.JSON).status();
	}

	private static Map<String, Long> count(List<String> operations, Function<String, String> kind) {
		return operations.stream().collect(Collectors.groupingBy(kind, TreeMap::new, Collectors.counting()));
	}

	private static Set<String> union(Map<String, Long> ten, Map<String, Long> thousand) {
		Set<String> all = new TreeSet<>(ten.keySet());
		all.addAll(thousand.keySet());
		return all;
	}

}
