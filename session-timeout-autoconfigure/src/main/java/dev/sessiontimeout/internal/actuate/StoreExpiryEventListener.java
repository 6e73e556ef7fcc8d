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
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.events.SessionExpiredEvent;
import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.PrincipalLogFormat;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.SessionEndedEvent;

/**
 * Turns a store's own expiry of a session (a {@link SessionExpiredEvent}, which only
 * Spring Session's Redis indexed repositories publish, the servlet and the reactive one)
 * into a {@link SessionTimeoutEvent}, so that sessions no request came back to are
 * counted and audited too. The reason is the clock whose deadline came first, read from
 * the session's attributes; sessions that a request found ended are deleted instead, and
 * counted by the filter, and revoked sessions were announced by their revocation.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class StoreExpiryEventListener implements ApplicationListener<SessionExpiredEvent> {

	private static final Log logger = LogFactory.getLog(StoreExpiryEventListener.class);

	private final SessionTimeoutSettings settings;

	private final Clock clock;

	private final ApplicationEventPublisher eventPublisher;

	private PrincipalLogFormat principalLogFormat = PrincipalLogFormat.NAME;

	private EndedSessions endedSessions = EndedSessions.NONE;

	/**
	 * Create a new listener.
	 * @param settings the effective configuration
	 * @param clock the clock of every decision
	 * @param eventPublisher publishes the {@link SessionTimeoutEvent}
	 */
	public StoreExpiryEventListener(SessionTimeoutSettings settings, Clock clock,
			ApplicationEventPublisher eventPublisher) {
		this.settings = settings;
		this.clock = clock;
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set how log lines name the user of a session.
	 * @param principalLogFormat the format
	 */
	public void setPrincipalLogFormat(PrincipalLogFormat principalLogFormat) {
		Assert.notNull(principalLogFormat, "'principalLogFormat' must not be null");
		this.principalLogFormat = principalLogFormat;
	}

	/**
	 * Set what remembers ended sessions in the store, which claims the announcement of an
	 * expiry for one node of all that hear the store's notice of it.
	 * @param endedSessions what remembers ended sessions
	 */
	public void setEndedSessions(EndedSessions endedSessions) {
		Assert.notNull(endedSessions, "'endedSessions' must not be null");
		this.endedSessions = endedSessions;
	}

	@Override
	public void onApplicationEvent(SessionExpiredEvent event) {
		Session session = event.getSession();
		if (session.getAttribute(SessionAttributes.REVOKED_AT) != null) {
			// Announced as revoked when it was revoked; its store lifetime then became
			// the store grace, so no clock of it ran out
			return;
		}
		SessionTimeline timeline = SessionAttributes.read(session::getAttribute);
		if (timeline == null) {
			return;
		}
		SessionTimeoutPolicy policy = SessionAttributes.policy(session::getAttribute, this.settings);
		SessionDeadlines deadlines = SessionDeadlines.of(policy, timeline);
		Instant end = deadlines.expiresAt();
		if (end == null) {
			return;
		}
		ExpiryReason reason = deadlines.endReason(end);
		String principal = SecurityContextPrincipalResolver
			.nameOf(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY));
		String sessionIdHash = SessionIds.hash(session.getId());
		Instant deadline = deadlines.deadlineOf(reason);
		// Every node that shares the store hears its notice: one announces it
		this.endedSessions.announceOnce(session.getId(), end, this.clock.instant(), () -> {
			logger.info("Session " + sessionIdHash + " of " + this.principalLogFormat.describe(principal)
					+ " expired in the store: " + reason + " at " + deadline + " (policy " + policy.name() + ")");
			this.eventPublisher.publishEvent(
					new SessionEndedEvent(this, this.clock, reason, principal, sessionIdHash, deadline, policy.name()));
		});
	}

}
