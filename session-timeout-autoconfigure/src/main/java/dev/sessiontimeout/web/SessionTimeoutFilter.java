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
package dev.sessiontimeout.web;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.policy.SessionDeadlines;
import dev.sessiontimeout.policy.SessionTimeline;
import dev.sessiontimeout.policy.SessionTimeoutPolicy;
import dev.sessiontimeout.policy.SessionTimeoutSettings;

/**
 * The one place that decides whether a session may serve a request. It runs after Spring
 * Session's {@code SessionRepositoryFilter} (so it sees the stored session) and before
 * Spring Security (so no expired session reaches it): an ended session is invalidated and
 * the request answered by the {@link SessionTimeoutResponder}; a valid one has its
 * activity recorded and its store expiry re-aimed, riding on the write the store makes
 * anyway.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutFilter extends OncePerRequestFilter {

	/**
	 * The default order: just after Spring Session's {@code SessionRepositoryFilter}
	 * ({@code Integer.MIN_VALUE + 50}), well before Spring Security ({@code -100}).
	 */
	public static final int DEFAULT_ORDER = Integer.MIN_VALUE + 60;

	private static final Log logger = LogFactory.getLog(SessionTimeoutFilter.class);

	private static final int RECENTLY_ENDED_CAPACITY = 10_000;

	private final SessionTimeoutSettings settings;

	private final Clock clock;

	private final SessionTimeoutResponder responder;

	private final SessionPrincipalResolver principalResolver;

	private final ApplicationEventPublisher eventPublisher;

	private final PassiveRequestMatcher passiveRequests;

	private final @Nullable String expiredPath;

	private List<SessionEndListener> sessionEndListeners = List.of();

	private final Set<String> recentlyEnded = Collections
		.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > RECENTLY_ENDED_CAPACITY;
			}

		}));

	/**
	 * Create a new filter.
	 * @param settings the effective configuration
	 * @param clock the clock of every decision
	 * @param responder answers requests whose session ended
	 * @param principalResolver tells whose session it is
	 * @param eventPublisher publishes {@link SessionTimeoutEvent}s
	 * @param passiveRequests tells requests that must not count as activity
	 */
	public SessionTimeoutFilter(SessionTimeoutSettings settings, Clock clock, SessionTimeoutResponder responder,
			SessionPrincipalResolver principalResolver, ApplicationEventPublisher eventPublisher,
			PassiveRequestMatcher passiveRequests) {
		this.settings = settings;
		this.clock = clock;
		this.responder = responder;
		this.principalResolver = principalResolver;
		this.eventPublisher = eventPublisher;
		this.passiveRequests = passiveRequests;
		this.expiredPath = pathOf(responder.getExpiredUrl());
	}

	/**
	 * Set the listeners told of every session a clock ends, before it is invalidated.
	 * @param sessionEndListeners the listeners
	 */
	public void setSessionEndListeners(List<SessionEndListener> sessionEndListeners) {
		this.sessionEndListeners = List.copyOf(sessionEndListeners);
	}

	private static @Nullable String pathOf(String url) {
		if (!url.startsWith("/")) {
			return null;
		}
		int end = url.length();
		for (char delimiter : new char[] { '?', '#' }) {
			int index = url.indexOf(delimiter);
			end = (index >= 0) ? Math.min(end, index) : end;
		}
		return url.substring(0, end);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpSession session = request.getSession(false);
		ExpiryReason reason = (session != null) ? check(session, !this.passiveRequests.isPassive(request))
				: (isUnknownSession(request) ? ExpiryReason.INVALID : null);
		if (reason != null && !isExpiredPage(request)) {
			this.responder.respond(request, response, reason);
			return;
		}
		chain.doFilter(new SessionTimeoutRequestWrapper(request), response);
	}

	/**
	 * Check a session against its deadlines: end it if one has passed, else record the
	 * activity, if any, and re-aim its store expiry.
	 * @param session the session of the request
	 * @param activity whether the request counts as activity
	 * @return why the session ended, or {@code null} if it is valid
	 */
	private @Nullable ExpiryReason check(HttpSession session, boolean activity) {
		Instant now = now();
		try {
			SessionTimeline stored = SessionAttributes.read(session);
			SessionTimeline timeline = (stored != null) ? stored : adopt(session, now);
			SessionTimeoutPolicy policy = this.settings.getDefaultPolicy();
			if (session.getAttribute(SessionAttributes.REVOKED_AT) instanceof Long revokedAt) {
				end(session, ExpiryReason.REVOKED, Instant.ofEpochMilli(revokedAt), policy, false);
				return ExpiryReason.REVOKED;
			}
			SessionDeadlines deadlines = policy.deadlines(timeline);
			ExpiryReason reason = deadlines.endReason(now);
			if (reason != null) {
				end(session, reason, deadlines.deadlineOf(reason), policy, true);
				return reason;
			}
			SessionTimeline current = activity ? timeline.withActivityAt(now) : timeline;
			SessionAttributes.write(session, current, stored);
			aimStoreExpiry(session, policy.deadlines(current), now);
			return null;
		}
		catch (IllegalStateException ex) {
			// Invalidated by a concurrent request since this one looked it up
			return ExpiryReason.INVALID;
		}
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private boolean isExpiredPage(HttpServletRequest request) {
		if (this.expiredPath == null) {
			return false;
		}
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return this.expiredPath.equals(path);
	}

	private static boolean isUnknownSession(HttpServletRequest request) {
		String requestedSessionId = request.getRequestedSessionId();
		if (requestedSessionId == null || request.isRequestedSessionIdValid()) {
			return false;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Request for unknown session " + SessionIds.hash(requestedSessionId));
		}
		return true;
	}

	private SessionTimeline adopt(HttpSession session, Instant now) {
		Instant createdAt = Instant.ofEpochMilli(session.getCreationTime());
		return SessionTimeline.startingAt(createdAt.isAfter(now) ? now : createdAt).withActivityAt(now);
	}

	private void start(HttpSession session) {
		Instant now = now();
		SessionTimeline timeline = SessionTimeline.startingAt(now);
		SessionAttributes.write(session, timeline, null);
		aimStoreExpiry(session, this.settings.getDefaultPolicy().deadlines(timeline), now);
	}

	/**
	 * Record a successful (re)authentication in the session of the current request: it
	 * restarts the clocks that count from authentication and is activity. The absolute
	 * clock is untouched.
	 * @param session the session
	 */
	public void recordAuthentication(HttpSession session) {
		Instant now = now();
		SessionTimeline stored = SessionAttributes.read(session);
		SessionTimeline timeline = ((stored != null) ? stored : adopt(session, now)).withAuthenticationAt(now);
		SessionAttributes.write(session, timeline, stored);
		aimStoreExpiry(session, this.settings.getDefaultPolicy().deadlines(timeline), now);
	}

	private void aimStoreExpiry(HttpSession session, SessionDeadlines deadlines, Instant now) {
		Duration lifetime = deadlines.storeLifetime(now, this.settings.getStoreGrace());
		int seconds = (lifetime != null) ? (int) Math.min(Integer.MAX_VALUE, lifetime.getSeconds()) : Integer.MAX_VALUE;
		if (session.getMaxInactiveInterval() != seconds) {
			session.setMaxInactiveInterval(seconds);
		}
	}

	private void end(HttpSession session, ExpiryReason reason, @Nullable Instant deadline, SessionTimeoutPolicy policy,
			boolean publish) {
		String principal = this.principalResolver.resolve(session);
		String sessionIdHash = SessionIds.hash(session.getId());
		this.sessionEndListeners.forEach((listener) -> listener.sessionEnded(session, reason));
		try {
			session.invalidate();
		}
		catch (IllegalStateException ex) {
			// Already invalidated by a concurrent request
		}
		if (this.recentlyEnded.add(sessionIdHash)) {
			logger.info("Session " + sessionIdHash + " of " + ((principal != null) ? principal : "anonymous")
					+ " ended: " + reason + " at " + deadline + " (policy " + policy.name() + ")");
			if (publish) {
				this.eventPublisher.publishEvent(new SessionTimeoutEvent(this, this.clock, reason, principal,
						sessionIdHash, deadline, policy.name()));
			}
		}
	}

	/**
	 * Starts the clocks of every session created further down the chain, at its creation.
	 */
	private final class SessionTimeoutRequestWrapper extends HttpServletRequestWrapper {

		SessionTimeoutRequestWrapper(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable HttpSession getSession(boolean create) {
			HttpSession session = super.getSession(create);
			if (session != null && session.getAttribute(SessionAttributes.CREATED_AT) == null) {
				start(session);
			}
			return session;
		}

		@Override
		public HttpSession getSession() {
			return getSession(true);
		}

	}

}
