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
package dev.sessiontimeout.internal.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.session.MapSession;
import org.springframework.session.events.SessionExpiredEvent;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StoreExpiryEventListener}.
 */
class StoreExpiryEventListenerTests {

	private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

	private final List<Object> published = new ArrayList<>();

	private StoreExpiryEventListener listenerAt(Instant now) {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.build();
		return new StoreExpiryEventListener(settings, Clock.fixed(now, ZoneOffset.UTC), this.published::add);
	}

	private static MapSession sessionActiveAt(Instant lastActivityAt) {
		MapSession session = new MapSession("abc");
		session.setAttribute(SessionAttributes.CREATED_AT, START.toEpochMilli());
		session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, lastActivityAt.toEpochMilli());
		session.setAttribute("SPRING_SECURITY_CONTEXT",
				new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of())));
		return session;
	}

	@Test
	void onApplicationEventWhenStoreExpiredAnIdleSessionThenPublishesIdle() {
		listenerAt(START.plus(Duration.ofMinutes(31)))
			.onApplicationEvent(new SessionExpiredEvent("store", sessionActiveAt(START)));
		assertThat(this.published).singleElement().isInstanceOfSatisfying(SessionTimeoutEvent.class, (event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.IDLE);
			assertThat(event.getPrincipal()).isEqualTo("alice");
			assertThat(event.getDeadline()).isEqualTo(START.plus(Duration.ofMinutes(30)));
			assertThat(event.getSessionIdHash()).isEqualTo(SessionIds.hash("abc"));
		});
	}

	@Test
	void onApplicationEventWhenTheAbsoluteDeadlineCameFirstThenPublishesAbsolute() {
		listenerAt(START.plus(Duration.ofHours(3)))
			.onApplicationEvent(new SessionExpiredEvent("store", sessionActiveAt(START.plus(Duration.ofMinutes(110)))));
		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(SessionTimeoutEvent.class,
					(event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.ABSOLUTE));
	}

	/**
	 * A revocation is announced when it is made (a {@code SessionEndedEvent} with reason
	 * {@code revoked}), and gives the session a store lifetime of the store grace: the
	 * store then drops it long before any of its deadlines, and that is no second end.
	 */
	@Test
	void onApplicationEventWhenTheStoreDropsARevokedSessionThenPublishesNothing() {
		MapSession session = sessionActiveAt(START);
		session.setAttribute(SessionAttributes.REVOKED_AT, START.plus(Duration.ofMinutes(5)).toEpochMilli());
		listenerAt(START.plus(Duration.ofMinutes(6))).onApplicationEvent(new SessionExpiredEvent("store", session));
		assertThat(this.published).isEmpty();
	}

	@Test
	void onApplicationEventWhenSessionPredatesTheStarterThenPublishesNothing() {
		listenerAt(START).onApplicationEvent(new SessionExpiredEvent("store", new MapSession("abc")));
		assertThat(this.published).isEmpty();
	}

	/**
	 * Every node that shares the store hears its expiry notice: only the node that wins
	 * the claim of the announcement publishes it.
	 */
	@Test
	void onApplicationEventWhenAnotherNodeClaimedTheAnnouncementThenPublishesNothing() {
		List<String> claimed = new ArrayList<>();
		EndedSessions claims = new InMemoryEndedSessions() {

			@Override
			public boolean claimAnnouncement(String sessionId, Instant until, Instant now) {
				claimed.add(sessionId);
				return claimed.size() == 1;
			}

		};
		StoreExpiryEventListener first = listenerAt(START.plus(Duration.ofMinutes(31)));
		first.setEndedSessions(claims);
		StoreExpiryEventListener second = listenerAt(START.plus(Duration.ofMinutes(31)));
		second.setEndedSessions(claims);
		first.onApplicationEvent(new SessionExpiredEvent("store", sessionActiveAt(START)));
		second.onApplicationEvent(new SessionExpiredEvent("store", sessionActiveAt(START)));
		assertThat(claimed).containsExactly("abc", "abc");
		assertThat(this.published).singleElement()
			.isInstanceOfSatisfying(SessionTimeoutEvent.class,
					(event) -> assertThat(event.getReason()).isEqualTo(ExpiryReason.IDLE));
	}

}
