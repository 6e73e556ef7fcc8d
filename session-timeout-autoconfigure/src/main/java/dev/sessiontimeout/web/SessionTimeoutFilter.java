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
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStepUpEvent;
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

	/**
	 * The request attribute that holds the {@code Max-Age} in seconds that the session
	 * cookie gets on this response, absent for a browser-session cookie.
	 */
	public static final String COOKIE_MAX_AGE_ATTRIBUTE = SessionAttributes.PREFIX + "cookieMaxAge";

	private static final String PENDING_CHALLENGE_ATTRIBUTE = SessionAttributes.PREFIX + "pendingChallenge";

	private static final String PRIVILEGE_GRANT_USED_ATTRIBUTE = SessionAttributes.PREFIX + "privilegeGrantUsed";

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

	private SessionAuthenticationSupport authenticationSupport = SessionAuthenticationSupport.NONE;

	private PathPatterns privilegedPaths = PathPatterns.parse("session-timeout.privileged.paths", List.of());

	private SessionCookieWriter cookieWriter = new ContainerSessionCookieWriter();

	private EndedSessions endedSessions = new InMemoryEndedSessions();

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

	/**
	 * Set what the filter needs to know of the application's authentication to challenge
	 * users to authenticate again.
	 * @param authenticationSupport the authentication support
	 */
	public void setAuthenticationSupport(SessionAuthenticationSupport authenticationSupport) {
		this.authenticationSupport = authenticationSupport;
	}

	/**
	 * Set what writes the session cookie of policies whose cookie is persistent.
	 * @param cookieWriter the cookie writer
	 */
	public void setCookieWriter(SessionCookieWriter cookieWriter) {
		this.cookieWriter = cookieWriter;
	}

	/**
	 * Set what remembers why sessions ended, for requests that still carry their ids.
	 * @param endedSessions the ended sessions
	 */
	public void setEndedSessions(EndedSessions endedSessions) {
		this.endedSessions = endedSessions;
	}

	/**
	 * Set the paths whose requests need a privileged session.
	 * @param privilegedPaths the paths
	 */
	public void setPrivilegedPaths(PathPatterns privilegedPaths) {
		this.privilegedPaths = privilegedPaths;
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
		Outcome outcome = (session != null) ? check(request, response, session) : checkUnknownSession(request);
		if (outcome != null && !isExpiredPage(request)) {
			if (outcome.reason().isEnding()) {
				answerEnded(request, response, outcome.reason());
			}
			else {
				challenge(request, response, session, outcome.reason(), outcome.maxAge());
			}
			return;
		}
		HttpServletRequest wrapped = new SessionTimeoutRequestWrapper(request, response);
		boolean exposeRequest = RequestContextHolder.getRequestAttributes() == null;
		if (exposeRequest) {
			RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(wrapped, response));
		}
		try {
			chain.doFilter(wrapped, response);
		}
		finally {
			if (exposeRequest) {
				RequestContextHolder.resetRequestAttributes();
			}
		}
	}

	/**
	 * Answer a request whose session ended or is unknown. A browser's request is saved,
	 * if it needs an authenticated user and can resume, in a new session, so that the
	 * login resumes it; otherwise the client loses the session cookie, so that its next
	 * request (a script's login, say) starts afresh instead of naming the ended session
	 * again.
	 */
	private void answerEnded(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason)
			throws IOException {
		HttpServletRequest wrapped = new SessionTimeoutRequestWrapper(request, response);
		if (this.responder.isBrowserNavigation(request) && this.authenticationSupport.requiresAuthentication(request)) {
			this.authenticationSupport.saveRequest(wrapped, response);
		}
		if (request.getRequestedSessionId() != null && wrapped.getSession(false) == null) {
			this.cookieWriter.expire(request, response);
		}
		this.responder.respond(request, response, reason);
	}

	/**
	 * Tell why the session of a request ended if the request names a session that the
	 * store does not know: the reason remembered for it during its store grace, else
	 * {@link ExpiryReason#INVALID}.
	 */
	private @Nullable Outcome checkUnknownSession(HttpServletRequest request) {
		String requestedSessionId = request.getRequestedSessionId();
		if (requestedSessionId == null || request.isRequestedSessionIdValid()) {
			return null;
		}
		ExpiryReason reason = this.endedSessions.reasonOf(requestedSessionId, now());
		if (logger.isDebugEnabled()) {
			logger.debug("Request for unknown session " + SessionIds.hash(requestedSessionId)
					+ ((reason != null) ? ", which ended: " + reason : ""));
		}
		return Outcome.ended((reason != null) ? reason : ExpiryReason.INVALID);
	}

	/**
	 * Check a session against its deadlines: end it if one has passed, challenge its user
	 * if the request needs a more recent authentication, else record the activity, if
	 * any, and re-aim its store expiry.
	 * @param request the request
	 * @param response the response
	 * @param session the session of the request
	 * @return why the session ended or its user must authenticate again, or {@code null}
	 * if the request may proceed
	 */
	private @Nullable Outcome check(HttpServletRequest request, HttpServletResponse response, HttpSession session) {
		Instant now = now();
		String sessionId = session.getId();
		try {
			SessionTimeline stored = SessionAttributes.read(session);
			SessionTimeline timeline = (stored != null) ? stored : adopt(session, now);
			SessionTimeoutPolicy policy = SessionAttributes.policy(session, this.settings);
			if (session.getAttribute(SessionAttributes.REVOKED_AT) instanceof Long revokedAt) {
				end(session, ExpiryReason.REVOKED, Instant.ofEpochMilli(revokedAt), policy, false, now);
				return Outcome.ended(ExpiryReason.REVOKED);
			}
			SessionDeadlines deadlines = policy.deadlines(timeline);
			ExpiryReason reason = deadlines.endReason(now);
			if (reason != null) {
				end(session, reason, deadlines.deadlineOf(reason), policy, true, now);
				return Outcome.ended(reason);
			}
			Outcome challenge = challenge(request, session, timeline, policy, now);
			if (challenge != null) {
				aimStoreExpiry(session, deadlines, now);
				if (!this.authenticationSupport.answersChallenges(request)) {
					return challenge;
				}
				request.setAttribute(PENDING_CHALLENGE_ATTRIBUTE, challenge);
				return null;
			}
			boolean activity = !this.passiveRequests.isPassive(request);
			SessionTimeline current = activity ? timeline.withActivityAt(now) : timeline;
			SessionAttributes.write(session, current, stored);
			SessionDeadlines currentDeadlines = policy.deadlines(current);
			aimStoreExpiry(session, currentDeadlines, now);
			aimCookie(request, response, session, policy, currentDeadlines, now);
			return null;
		}
		catch (IllegalStateException ex) {
			// Invalidated by a concurrent request since this one looked it up
			ExpiryReason reason = this.endedSessions.reasonOf(sessionId, now);
			return Outcome.ended((reason != null) ? reason : ExpiryReason.INVALID);
		}
	}

	private @Nullable Outcome challenge(HttpServletRequest request, HttpSession session, SessionTimeline timeline,
			SessionTimeoutPolicy policy, Instant now) {
		if (isExpiredPage(request) || !this.authenticationSupport.isAuthenticated(session)) {
			return null;
		}
		if (policy.isReauthenticationDue(timeline, now) && this.authenticationSupport.requiresAuthentication(request)) {
			return new Outcome(ExpiryReason.REAUTHENTICATION, policy.reauthentication());
		}
		Duration privilegedMaxAge = policy.privilegedMaxAge();
		if (this.privilegedPaths.matches(request) && !isPrivileged(request, session, timeline, privilegedMaxAge, now)) {
			return new Outcome(ExpiryReason.PRIVILEGED, (privilegedMaxAge != null) ? privilegedMaxAge : Duration.ZERO);
		}
		return null;
	}

	/**
	 * Answer the challenge that this filter found for the request, if any, when the
	 * security filter chain of the request answers challenges, after its authorization:
	 * then the requests that Spring Security handles itself before (a login, its
	 * callback, a logout) are never challenged.
	 * @param request the request
	 * @param response the response
	 * @return {@code true} if the request was answered with a challenge
	 * @throws IOException on a write failure
	 * @see SessionAuthenticationSupport#answersChallenges(HttpServletRequest)
	 */
	public boolean challengePending(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!(request.getAttribute(PENDING_CHALLENGE_ATTRIBUTE) instanceof Outcome outcome)) {
			return false;
		}
		request.removeAttribute(PENDING_CHALLENGE_ATTRIBUTE);
		challenge(request, response, request.getSession(false), outcome.reason(), outcome.maxAge());
		return true;
	}

	/**
	 * Return whether the session may perform a privileged operation that needs an
	 * authentication no older than the given age: its user proved a factor (a remember-me
	 * login does not) recently enough. A maximum age of zero needs an authentication that
	 * no other request has used for such an operation yet, and uses it for this request.
	 * @param request the request of the operation
	 * @param session the session
	 * @param maxAge the maximum age of the authentication, {@code null} for none
	 * @return {@code true} if the operation may proceed
	 */
	public boolean isPrivileged(HttpServletRequest request, HttpSession session, @Nullable Duration maxAge) {
		SessionTimeline timeline = SessionAttributes.read(session);
		return timeline != null && isPrivileged(request, session, timeline, maxAge, now());
	}

	private boolean isPrivileged(HttpServletRequest request, HttpSession session, SessionTimeline timeline,
			@Nullable Duration maxAge, Instant now) {
		if (!this.authenticationSupport.mayBePrivileged(session)) {
			return false;
		}
		if (maxAge == null) {
			return true;
		}
		if (maxAge.isZero()) {
			if (request.getAttribute(PRIVILEGE_GRANT_USED_ATTRIBUTE) != null) {
				return true;
			}
			Object grant = session.getAttribute(SessionAttributes.PRIVILEGE_GRANT);
			if (grant != null && grant.equals(epochMilli(timeline.authenticatedAt()))) {
				session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
				request.setAttribute(PRIVILEGE_GRANT_USED_ATTRIBUTE, Boolean.TRUE);
				return true;
			}
			return false;
		}
		return timeline.isAuthenticatedWithin(maxAge, now);
	}

	private static @Nullable Long epochMilli(@Nullable Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	/**
	 * Challenge the user of a session to authenticate again, keeping the session: the
	 * challenge is recorded so that only the same user, recently enough authenticated,
	 * meets it, it is announced once with a {@link SessionTimeoutEvent}, and the request
	 * is answered by the {@link SessionTimeoutResponder}: a browser is sent into the
	 * login flow, which resumes the request afterwards, anything else gets a {@code 401}.
	 * @param request the request
	 * @param response the response
	 * @param session the session, if the request has one
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @throws IOException on a write failure
	 */
	public void challenge(HttpServletRequest request, HttpServletResponse response, @Nullable HttpSession session,
			ExpiryReason reason, Duration maxAge) throws IOException {
		String loginUrl = null;
		if (session != null) {
			recordChallenge(session, reason, maxAge);
			if (this.responder.isBrowserNavigation(request)) {
				loginUrl = this.authenticationSupport.startAuthentication(request, response, session);
			}
		}
		this.responder.challenge(request, response, reason, maxAge, loginUrl);
	}

	private void recordChallenge(HttpSession session, ExpiryReason reason, Duration maxAge) {
		String principal = this.principalResolver.resolve(session);
		if (principal == null) {
			return;
		}
		PendingChallenge pending = PendingChallenge.of(session);
		if (pending != null && pending.reason() == reason && pending.maxAge().equals(maxAge)
				&& pending.principal().equals(principal)) {
			return;
		}
		Instant now = now();
		session.setAttribute(SessionAttributes.CHALLENGE,
				new PendingChallenge(reason, maxAge, now, principal).encode());
		SessionTimeline timeline = SessionAttributes.read(session);
		SessionTimeoutPolicy policy = SessionAttributes.policy(session, this.settings);
		Instant deadline = (timeline == null || timeline.authenticatedAt() == null) ? null
				: (reason == ExpiryReason.REAUTHENTICATION) ? policy.deadlines(timeline).reauthenticateAt()
						: timeline.authenticatedAt().plus(maxAge);
		String sessionIdHash = SessionIds.hash(session.getId());
		logger.info("Session " + sessionIdHash + " of " + principal + " must authenticate again: " + reason
				+ ", at most " + maxAge.toSeconds() + "s ago (policy " + policy.name() + ")");
		this.eventPublisher.publishEvent(
				new SessionTimeoutEvent(this, this.clock, reason, principal, sessionIdHash, deadline, policy.name()));
	}

	private boolean isExpiredPage(HttpServletRequest request) {
		if (this.expiredPath == null) {
			return false;
		}
		return this.expiredPath.equals(PathPatterns.pathWithinContext(request));
	}

	private SessionTimeline adopt(HttpSession session, Instant now) {
		Instant createdAt = Instant.ofEpochMilli(session.getCreationTime());
		return SessionTimeline.startingAt(createdAt.isAfter(now) ? now : createdAt).withActivityAt(now);
	}

	private void start(HttpServletRequest request, HttpServletResponse response, HttpSession session) {
		Instant now = now();
		SessionTimeline timeline = SessionTimeline.startingAt(now);
		SessionAttributes.write(session, timeline, null);
		SessionTimeoutPolicy policy = this.settings.getDefaultPolicy();
		SessionDeadlines deadlines = policy.deadlines(timeline);
		aimStoreExpiry(session, deadlines, now);
		aimCookie(request, response, session, policy, deadlines, now);
	}

	/**
	 * Record a successful (re)authentication in the session of the current request: it
	 * gives the session the policy of its user, restarts the clocks that count from
	 * authentication, and is activity. The absolute clock is untouched. A pending
	 * challenge is met (the caller made sure that the same user authenticated recently
	 * enough) and announced with a {@link SessionStepUpEvent}. The authentication may
	 * serve one privileged operation with a maximum age of zero if it took place now, or
	 * met such a challenge (an identity provider's older single sign-on does not).
	 * @param request the request of the authentication
	 * @param response the response, {@code null} if unknown
	 * @param session the session
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it (an OpenID Connect {@code auth_time}), or {@code null} for now
	 * @param policy the policy of the session from now on
	 */
	public void recordAuthentication(HttpServletRequest request, @Nullable HttpServletResponse response,
			HttpSession session, @Nullable Instant reportedAuthenticatedAt, SessionTimeoutPolicy policy) {
		Instant now = now();
		Instant authenticatedAt = (reportedAuthenticatedAt != null) ? reportedAuthenticatedAt : now;
		SessionTimeline stored = SessionAttributes.read(session);
		SessionTimeline timeline = ((stored != null) ? stored : adopt(session, now))
			.withAuthenticationAt(authenticatedAt, now);
		SessionAttributes.write(session, timeline, stored);
		String encodedPolicy = policy.encode();
		if (!encodedPolicy.equals(session.getAttribute(SessionAttributes.POLICY))) {
			session.setAttribute(SessionAttributes.POLICY, encodedPolicy);
		}
		PendingChallenge pending = PendingChallenge.of(session);
		if (reportedAuthenticatedAt == null || (pending != null && pending.isMetBy(authenticatedAt, now))) {
			session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, epochMilli(timeline.authenticatedAt()));
		}
		else {
			session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		}
		if (pending != null) {
			session.removeAttribute(SessionAttributes.CHALLENGE);
			String sessionIdHash = SessionIds.hash(session.getId());
			logger.info("Session " + sessionIdHash + " of " + pending.principal() + " met its challenge: "
					+ pending.reason() + " (policy " + policy.name() + ")");
			this.eventPublisher.publishEvent(new SessionStepUpEvent(this, this.clock, pending.reason(),
					pending.principal(), sessionIdHash, policy.name()));
		}
		SessionDeadlines deadlines = policy.deadlines(timeline);
		aimStoreExpiry(session, deadlines, now);
		aimCookie(request, response, session, policy, deadlines, now);
	}

	/**
	 * Return the current instant of the clock of every decision, to the millisecond.
	 * @return the current instant
	 */
	public Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private void aimStoreExpiry(HttpSession session, SessionDeadlines deadlines, Instant now) {
		Duration lifetime = deadlines.storeLifetime(now, this.settings.getStoreGrace());
		int seconds = (lifetime != null) ? (int) Math.min(Integer.MAX_VALUE, lifetime.getSeconds()) : Integer.MAX_VALUE;
		if (session.getMaxInactiveInterval() != seconds) {
			session.setMaxInactiveInterval(seconds);
		}
	}

	/**
	 * Give the session cookie of a persistent policy a {@code Max-Age} of the remaining
	 * absolute lifetime (else of the idle one): Spring Session's own cookie writes read
	 * it from the request, and the cookie is written on this response too, so that it
	 * shrinks with every response.
	 */
	private void aimCookie(HttpServletRequest request, @Nullable HttpServletResponse response, HttpSession session,
			SessionTimeoutPolicy policy, SessionDeadlines deadlines, Instant now) {
		Instant end = (deadlines.absoluteExpiresAt() != null) ? deadlines.absoluteExpiresAt() : deadlines.expiresAt();
		if (!policy.cookiePersistent() || end == null) {
			request.removeAttribute(COOKIE_MAX_AGE_ATTRIBUTE);
			return;
		}
		int maxAge = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Duration.between(now, end).getSeconds()));
		request.setAttribute(COOKIE_MAX_AGE_ATTRIBUTE, maxAge);
		if (response != null && !response.isCommitted()) {
			this.cookieWriter.write(request, response, session, maxAge);
		}
	}

	private void end(HttpSession session, ExpiryReason reason, @Nullable Instant deadline, SessionTimeoutPolicy policy,
			boolean publish, Instant now) {
		String principal = this.principalResolver.resolve(session);
		String sessionId = session.getId();
		String sessionIdHash = SessionIds.hash(sessionId);
		// Remembered before the session goes, by every request that ends it, so that no
		// request finds it gone and forgotten
		Instant until = ((deadline != null) ? deadline : now).plus(this.settings.getStoreGrace());
		if (now.isBefore(until)) {
			this.endedSessions.remember(sessionId, reason, until, now);
		}
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

		private final HttpServletResponse response;

		SessionTimeoutRequestWrapper(HttpServletRequest request, HttpServletResponse response) {
			super(request);
			this.response = response;
		}

		@Override
		public @Nullable HttpSession getSession(boolean create) {
			HttpSession session = super.getSession(create);
			if (session != null && session.getAttribute(SessionAttributes.CREATED_AT) == null) {
				start(this, this.response, session);
			}
			return session;
		}

		@Override
		public HttpSession getSession() {
			return getSession(true);
		}

	}

	/**
	 * Why a request may not proceed, and for a challenge, how old the new authentication
	 * may be at most.
	 */
	private record Outcome(ExpiryReason reason, @Nullable Duration maxAge) {

		static Outcome ended(ExpiryReason reason) {
			return new Outcome(reason, null);
		}

	}

}
