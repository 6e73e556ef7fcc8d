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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.web.SessionDescriptions;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.SessionEndedEvent;

/**
 * {@link UserSessions} on a Spring Session store with a principal index
 * ({@link FindByIndexNameSessionRepository}: Redis indexed, JDBC).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SpringSessionUserSessions implements UserSessions {

	private final Supplier<@Nullable SessionRepository<?>> repository;

	private final SessionClocks clocks;

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private Consumer<String> signInRevoker = (username) -> {
	};

	/**
	 * Create a new instance.
	 * @param repository supplies the application's session repository, if any
	 * @param clocks the session clocks
	 * @param clock the clock that stamps events
	 * @param eventPublisher publishes a {@link SessionTimeoutEvent} per revoked session
	 */
	public SpringSessionUserSessions(Supplier<@Nullable SessionRepository<?>> repository, SessionClocks clocks,
			Clock clock, ApplicationEventPublisher eventPublisher) {
		this.repository = repository;
		this.clocks = clocks;
		this.clock = clock;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set what removes whatever else would sign a revoked user straight back in, such as
	 * Spring Security's persistent remember-me tokens; it is told the user's name before
	 * the sessions are revoked.
	 * @param signInRevoker told the name of every revoked user
	 */
	public void setSignInRevoker(Consumer<String> signInRevoker) {
		Assert.notNull(signInRevoker, "'signInRevoker' must not be null");
		this.signInRevoker = signInRevoker;
	}

	@Override
	public @Nullable String unsupportedReason() {
		SessionRepository<?> repository = this.repository.get();
		if (repository instanceof FindByIndexNameSessionRepository) {
			return null;
		}
		return "Sessions by user need a session store with a principal index: Spring Session JDBC, or Redis with"
				+ " spring.session.data.redis.repository-type=indexed; this application uses "
				+ ((repository != null) ? repository.getClass().getSimpleName() : "container sessions");
	}

	@Override
	public List<Map<String, @Nullable Object>> find(String username) {
		List<Map<String, @Nullable Object>> sessions = new ArrayList<>();
		for (Session session : indexed().findByPrincipalName(username).values()) {
			sessions.add(describe(session));
		}
		return sessions;
	}

	@Override
	public List<String> revoke(String username) {
		FindByIndexNameSessionRepository<Session> repository = indexed();
		// First, so that no revoked session's next request signs its user in again
		this.signInRevoker.accept(username);
		return revoke(repository, username);
	}

	private <S extends Session> List<String> revoke(FindByIndexNameSessionRepository<S> repository, String username) {
		Instant now = this.clocks.now();
		List<String> revoked = new ArrayList<>();
		for (S session : repository.findByPrincipalName(username).values()) {
			if (session.getAttribute(SessionAttributes.REVOKED_AT) != null) {
				continue;
			}
			session.setAttribute(SessionAttributes.REVOKED_AT, now.toEpochMilli());
			Duration keep = Duration.between(session.getLastAccessedTime(), Instant.now())
				.plus(this.clocks.getSettings().getStoreGrace());
			session.setMaxInactiveInterval(keep.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : keep);
			repository.save(session);
			String hash = SessionIds.hash(session.getId());
			revoked.add(hash);
			this.eventPublisher.publishEvent(new SessionEndedEvent(this, this.clock, ExpiryReason.REVOKED, username,
					hash, now, this.clocks.policy(session::getAttribute).name()));
		}
		return revoked;
	}

	@SuppressWarnings("unchecked")
	private FindByIndexNameSessionRepository<Session> indexed() {
		String unsupported = unsupportedReason();
		if (unsupported != null) {
			throw new IllegalStateException(unsupported);
		}
		return (FindByIndexNameSessionRepository<Session>) this.repository.get();
	}

	private Map<String, @Nullable Object> describe(Session session) {
		SessionAttributeSource access = session::getAttribute;
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("session", SessionIds.hash(session.getId()));
		description.put("policy", this.clocks.policy(access).name());
		SessionState state = this.clocks.state(access);
		if (state != null) {
			this.clocks.status(access).ifPresent((status) -> SessionDescriptions.putClocks(description, status));
			description.put("authenticatedAt", SessionDescriptions.text(state.timeline().authenticatedAt()));
		}
		Long revokedAt = SessionAttributes.epochMilli(session.getAttribute(SessionAttributes.REVOKED_AT));
		description.put("revokedAt", (revokedAt != null) ? Instant.ofEpochMilli(revokedAt).toString() : null);
		return description;
	}

}
