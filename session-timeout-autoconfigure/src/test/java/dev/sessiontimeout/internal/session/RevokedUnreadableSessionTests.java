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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.SpringSessionAccess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session whose clocks cannot be read, filed under its user by a store's own index
 * (JDBC, Redis {@code indexed}), is revoked with that user's sessions and announced then;
 * its next request ends it without announcing it again.
 *
 * @author session-timeout
 */
class RevokedUnreadableSessionTests {

	private static final Instant LOGIN = Instant.parse("2026-12-02T08:00:00Z");

	private static final String PRINCIPAL = "test.principal";

	private static final SessionTimeoutPolicy USERS = new SessionTimeoutPolicy("users", Duration.ofHours(8),
			Duration.ofMinutes(30), null, null);

	private final MutableClock clock = new MutableClock();

	private final List<Object> events = new ArrayList<>();

	@Test
	void aRevokedSessionWhoseClocksCannotBeReadIsAnnouncedOnceAsRevoked() {
		this.clock.fixAt(LOGIN);
		IndexedMapSessionRepository repository = new IndexedMapSessionRepository();
		SessionClocks clocks = new SessionClocks(
				SessionTimeoutSettings.builder().absolute(Duration.ofHours(8)).idle(Duration.ofMinutes(30)).build(),
				this.clock, this.events::add);
		clocks.setPrincipalResolver(new SessionPrincipalResolver() {

			@Override
			public @Nullable String resolve(SessionAttributeSource session) {
				return (String) session.getAttribute(PRINCIPAL);
			}

		});
		SpringSessionUserSessions userSessions = new SpringSessionUserSessions(() -> repository, clocks, this.clock,
				this.events::add);
		MapSession session = repository.createSession();
		session.setAttribute(PRINCIPAL, "user");
		session.setAttribute(SessionAttributes.STATE, "garbage");
		repository.save(session);
		this.clock.fixAt(LOGIN.plus(Duration.ofMinutes(5)));

		assertThat(userSessions.revoke("user")).hasSize(1);
		MapSession revoked = repository.findById(session.getId());
		assertThat(revoked.<Object>getAttribute(SessionAttributes.REVOKED_AT)).isNotNull();
		// Its next request
		SessionDecision decision = clocks.decide(
				new SpringSessionAccess(revoked, () -> repository.deleteById(revoked.getId())),
				TestRequest.signedIn(USERS));

		assertThat(decision.reason()).isEqualTo(ExpiryReason.REVOKED);
		assertThat(this.events).as("announced by the revocation, not again by the request")
			.singleElement()
			.satisfies((event) -> assertThat(((SessionEndedEvent) event).getReason()).isEqualTo(ExpiryReason.REVOKED));
	}

	/**
	 * A map repository with an index by principal, as Spring Session's JDBC and Redis
	 * indexed repositories have.
	 */
	static class IndexedMapSessionRepository extends MapSessionRepository
			implements FindByIndexNameSessionRepository<MapSession> {

		private final Map<String, org.springframework.session.Session> sessions;

		IndexedMapSessionRepository() {
			this(new ConcurrentHashMap<>());
		}

		private IndexedMapSessionRepository(Map<String, org.springframework.session.Session> sessions) {
			super(sessions);
			this.sessions = sessions;
		}

		@Override
		public Map<String, MapSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
			return this.sessions.keySet()
				.stream()
				.map(this::findById)
				.filter((session) -> session != null && indexValue.equals(session.getAttribute(PRINCIPAL)))
				.collect(Collectors.toMap(MapSession::getId, (session) -> session));
		}

	}

}
