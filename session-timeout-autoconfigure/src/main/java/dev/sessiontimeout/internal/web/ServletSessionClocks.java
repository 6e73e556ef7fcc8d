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
package dev.sessiontimeout.internal.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeouts;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.session.PendingLogoutCheck;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.SessionWatch;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.session.StoredSessions;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.session.SessionRequest;

/**
 * The {@link SessionClocks} for servlet requests: what the filter, the status endpoint
 * and the Spring Security integration ask of a request's session. It turns requests and
 * {@link HttpSession}s into what the clocks decide on, and their decisions into HTTP: the
 * session cookie's {@code Max-Age}, a challenge's redirect or {@code 401}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ServletSessionClocks implements SessionTimeouts {

	/**
	 * The request attribute that holds the {@code Max-Age} in seconds that the session
	 * cookie gets on this response, absent for a browser-session cookie.
	 */
	public static final String COOKIE_MAX_AGE_ATTRIBUTE = SessionAttributes.PREFIX + "cookieMaxAge";

	/**
	 * The request attribute that holds the id under which the authentication this request
	 * recorded indexed its session.
	 */
	private static final String INDEXED_SESSION_ID_ATTRIBUTE = SessionAttributes.PREFIX + "indexedSessionId";

	/**
	 * The request attribute that holds what the first login this request recorded read of
	 * its user's revocations ({@link UserRevocations}).
	 */
	private static final String REVOCATIONS_AT_LOGIN_ATTRIBUTE = SessionAttributes.PREFIX + "revocationsAtLogin";

	/**
	 * Whether the revocations read at a request's login are those of a sign-in the
	 * application made itself ({@link #followSignIn}).
	 */
	private static final String SIGN_IN_FOLLOWED_ATTRIBUTE = SessionAttributes.PREFIX + "signInFollowed";

	/**
	 * When the request that the current thread filters, and that Spring Security's
	 * remember-me may sign in, began ({@link #begin}): kept with the thread, as no
	 * request attribute, so that a request served without a login is left as it came.
	 * Noted only by the filter right before remember-me's
	 * ({@code PassiveRememberMeFilter}), for a request without a user, so that no other
	 * request pays for it.
	 */
	private static final ThreadLocal<UserRevocations.@Nullable Begun> requestBegun = new ThreadLocal<>();

	/**
	 * The request attribute that marks a request whose store did not answer the claim of
	 * its session's privilege grant.
	 */
	private static final String PRIVILEGE_GRANT_UNANSWERED_ATTRIBUTE = SessionAttributes.PREFIX
			+ "privilegeGrantUnanswered";

	/**
	 * A numeric IPv4 or IPv6 address: what a request's remote address may be, when a
	 * forwarded header a client wrote gives it, for it to be recorded.
	 */
	private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private final SessionClocks clocks;

	private final PassiveRequestMatcher passiveRequests;

	private final @Nullable String expiredPath;

	private SessionAuthenticationSupport authenticationSupport = SessionAuthenticationSupport.NONE;

	private PathPatterns privilegedPaths = PathPatterns.NONE;

	private List<String> privilegedAcrValues = List.of();

	private final ServedAuthentications servedAuthentications = new ServedAuthentications();

	private SessionCookieWriter cookieWriter = new ContainerSessionCookieWriter();

	private @Nullable StoredSessions storedSessions;

	private Supplier<@Nullable PendingLogoutCheck> pendingLogoutCheck = () -> null;

	private boolean recordDevice;

	private boolean recordAddress;

	/**
	 * Create a new instance.
	 * @param clocks the session clocks
	 * @param expiredUrl where browsers go when their session ended, whose path is never
	 * refused
	 * @param passiveRequests tells requests that must not count as activity
	 */
	public ServletSessionClocks(SessionClocks clocks, String expiredUrl, PassiveRequestMatcher passiveRequests) {
		Assert.notNull(clocks, "'clocks' must not be null");
		Assert.notNull(expiredUrl, "'expiredUrl' must not be null");
		Assert.notNull(passiveRequests, "'passiveRequests' must not be null");
		this.clocks = clocks;
		this.passiveRequests = passiveRequests;
		this.expiredPath = PathPatterns.pathOf(expiredUrl);
		// A status names the privileged age only of a session that the decision of a
		// privileged operation may find privileged
		clocks.setMayBePrivileged(this::mayBePrivileged);
	}

	private boolean mayBePrivileged(SessionAttributeSource session) {
		SessionAuthenticationSupport support = this.authenticationSupport;
		String attribute = support.authenticationAttribute();
		return attribute != null && support.mayBePrivilegedBy(session.getAttribute(attribute));
	}

	/**
	 * Set what the clocks need to know of the application's authentication.
	 * @param authenticationSupport the authentication support
	 */
	public void setAuthenticationSupport(SessionAuthenticationSupport authenticationSupport) {
		Assert.notNull(authenticationSupport, "'authenticationSupport' must not be null");
		this.authenticationSupport = authenticationSupport;
	}

	/**
	 * Set the paths whose requests need a privileged session.
	 * @param privilegedPaths the paths
	 */
	public void setPrivilegedPaths(PathPatterns privilegedPaths) {
		Assert.notNull(privilegedPaths, "'privilegedPaths' must not be null");
		this.privilegedPaths = privilegedPaths;
	}

	/**
	 * Return whether any path needs a privileged session.
	 * @return {@code true} if privileged paths are configured
	 */
	public boolean hasPrivilegedPaths() {
		return !this.privilegedPaths.isEmpty();
	}

	/**
	 * Set the authentication context classes that a request authenticated by a bearer
	 * token must name for a privileged operation.
	 * @param privilegedAcrValues the values, empty to accept any
	 */
	public void setPrivilegedAcrValues(List<String> privilegedAcrValues) {
		Assert.notNull(privilegedAcrValues, "'privilegedAcrValues' must not be null");
		this.privilegedAcrValues = List.copyOf(privilegedAcrValues);
	}

	/**
	 * Return the authentication context classes that a request authenticated by a bearer
	 * token must name for a privileged operation.
	 * @return the values, empty to accept any
	 */
	public List<String> getPrivilegedAcrValues() {
		return this.privilegedAcrValues;
	}

	/**
	 * Set what writes the session cookie.
	 * @param cookieWriter the cookie writer
	 */
	public void setCookieWriter(SessionCookieWriter cookieWriter) {
		Assert.notNull(cookieWriter, "'cookieWriter' must not be null");
		this.cookieWriter = cookieWriter;
	}

	/**
	 * Set what reads a session as its store holds it now, for responses that outlive the
	 * decision to serve them; without it the live {@link HttpSession} is read, as the
	 * container's sessions are.
	 * @param storedSessions the stored sessions
	 */
	public void setStoredSessions(StoredSessions storedSessions) {
		Assert.notNull(storedSessions, "'storedSessions' must not be null");
		this.storedSessions = storedSessions;
	}

	/**
	 * Set what looks again, at the first request after an OpenID Connect login with
	 * back-channel logout, for the logouts kept for the logins under way; asked for only
	 * when such a session comes.
	 * @param pendingLogoutCheck gives the check, or {@code null} where there is none
	 */
	public void setPendingLogoutCheck(Supplier<@Nullable PendingLogoutCheck> pendingLogoutCheck) {
		Assert.notNull(pendingLogoutCheck, "'pendingLogoutCheck' must not be null");
		this.pendingLogoutCheck = pendingLogoutCheck;
	}

	/**
	 * Set what a session records of the request its user signs in with, for the user's
	 * list of sessions.
	 * @param device whether to record a {@link DeviceSummary summary} of its
	 * {@code User-Agent}
	 * @param address whether to record the address it came from
	 */
	public void setRecordedAtLogin(boolean device, boolean address) {
		this.recordDevice = device;
		this.recordAddress = address;
	}

	SessionAuthenticationSupport authenticationSupport() {
		return this.authenticationSupport;
	}

	/**
	 * Return whether a session holds an authenticated, non-anonymous user, from what the
	 * decision read of its authentication if it read it from this very session (not from
	 * one that hides its authentication), else from the session.
	 * @param session the session
	 * @param decided the same session, as the decision read it, if known
	 * @return {@code true} if its user is authenticated
	 */
	boolean isAuthenticated(HttpSession session, @Nullable DecidedSession decided) {
		return isAuthenticated(this.authenticationSupport, session, decided);
	}

	/**
	 * Return whether a session holds an authenticated, non-anonymous user, as
	 * {@link #isAuthenticated(HttpSession, DecidedSession)} tells, for the given support.
	 * @param authenticationSupport what knows the application's authentication
	 * @param session the session
	 * @param decided the same session, as the decision read it, if known
	 * @return {@code true} if its user is authenticated
	 */
	static boolean isAuthenticated(SessionAuthenticationSupport authenticationSupport, HttpSession session,
			@Nullable DecidedSession decided) {
		return (decided != null && readAuthentication(session, decided))
				? authenticationSupport.isAuthenticated(session, decided.authentication())
				: authenticationSupport.isAuthenticated(session);
	}

	/**
	 * Return the authentication of a session's signed-in user, from what the decision
	 * read of it if it read it from this very session, else from the session.
	 * @param session the session
	 * @param decided the same session, as the decision read it, if known
	 * @return the authentication, or {@code null} if the session holds no authenticated
	 * user
	 */
	@Nullable Object authenticationOf(HttpSession session, @Nullable DecidedSession decided) {
		return (decided != null && readAuthentication(session, decided))
				? this.authenticationSupport.authenticationOf(session, decided.authentication())
				: this.authenticationSupport.authenticationOf(session);
	}

	/**
	 * Return whether the decision read a session's authentication from this very session:
	 * a session that hides its authentication (a pending re-authentication) is read as it
	 * is.
	 */
	private static boolean readAuthentication(HttpSession session, DecidedSession decided) {
		return decided.session() == session && decided.authenticationRead();
	}

	/**
	 * Return the session clocks.
	 * @return the clocks
	 */
	public SessionClocks getClocks() {
		return this.clocks;
	}

	/**
	 * The request attribute that holds the re-authentication lifetime of a request that
	 * runs unauthenticated because its user must authenticate again.
	 */
	public static final String REAUTHENTICATION_PENDING_ATTRIBUTE = SessionAttributes.PREFIX
			+ "reauthenticationPending";

	/**
	 * Return how old a new authentication may be at most for a request that runs
	 * unauthenticated because its user must authenticate again.
	 * @param request the request
	 * @return the re-authentication lifetime, or {@code null} if the request runs with
	 * its user's authentication
	 */
	public static @Nullable Duration reauthenticationPending(HttpServletRequest request) {
		ServedWithoutUser served = servedWithoutUser(request);
		return (served != null) ? served.reauthentication() : null;
	}

	/**
	 * Return the authentication, as the session holds it, of the user hidden from a
	 * request that runs unauthenticated because that user must authenticate again: for
	 * Spring Security's generated login page alone, which names the user who may continue
	 * the session.
	 * @param request the request
	 * @return the hidden value of the session's authentication attribute, or {@code null}
	 * if the request runs with the session as it is
	 */
	public static @Nullable Object hiddenAuthentication(HttpServletRequest request) {
		ServedWithoutUser served = servedWithoutUser(request);
		return (served != null) ? served.session().getHidden() : null;
	}

	static @Nullable ServedWithoutUser servedWithoutUser(HttpServletRequest request) {
		return (request.getAttribute(REAUTHENTICATION_PENDING_ATTRIBUTE) instanceof ServedWithoutUser served) ? served
				: null;
	}

	/**
	 * Take back the activity that serving a request recorded in its session, for a
	 * request that runs unauthenticated because its user must authenticate again and that
	 * something in it refused for want of that user: a refused request is no activity.
	 * The session cookie of a persistent policy is aimed again on this response.
	 * @param request the request
	 * @param response its response, not committed yet
	 * @see SessionClocks#withdrawActivity
	 */
	public static void withdrawActivity(HttpServletRequest request, HttpServletResponse response) {
		ServedWithoutUser served = servedWithoutUser(request);
		if (served != null) {
			served.clocks().withdrawActivity(request, response, served);
		}
	}

	private void withdrawActivity(HttpServletRequest request, HttpServletResponse response, ServedWithoutUser served) {
		withdrawActivity(request, response, served.sessionId(), served.decision());
	}

	private void withdrawActivity(HttpServletRequest request, HttpServletResponse response, String sessionId,
			SessionDecision decision) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		try {
			if (!session.getId().equals(sessionId)) {
				return;
			}
		}
		catch (IllegalStateException ex) {
			// Invalidated: nothing to take back
			return;
		}
		StoredSessions stored = this.storedSessions;
		SessionAttributeSource saved;
		try {
			// As a watch reads it: from Spring Session's store, else the container's
			// session itself, which every request shares
			saved = (stored != null) ? stored.find(sessionId) : live(session);
		}
		catch (RuntimeException ex) {
			// The store does not answer: the activity stays, the refusal is answered
			return;
		}
		SessionState state = this.clocks.withdrawActivity(HttpSessionAccess.of(session), decision, saved);
		if (state != null) {
			aimCookie(request, response, session, state);
		}
	}

	/**
	 * A request that runs unauthenticated because its user must authenticate again.
	 *
	 * @param reauthentication how old a new authentication may be at most
	 * @param sessionId the id of the session it was served
	 * @param decision the decision to serve it
	 * @param clocks the clocks that decided it
	 * @param session the session as the request sees it, without the authentication
	 */
	record ServedWithoutUser(Duration reauthentication, String sessionId, SessionDecision decision,
			ServletSessionClocks clocks, ReauthenticationPendingSession session) {

	}

	/**
	 * Return the current instant of the clock of every decision.
	 * @return the current instant
	 */
	public Instant now() {
		return this.clocks.now();
	}

	/**
	 * Note, as a request that Spring Security's remember-me may sign in reaches it on the
	 * current thread (before its token check), when that was and how many revocations of
	 * users everywhere this JVM had recorded then: a login in it that proves no factor
	 * (remember-me) is dated from then ({@link #recordAuthentication}). The filter that
	 * noted it forgets it as the rest of its chain returns ({@link #ended}). Called only
	 * by that filter ({@code PassiveRememberMeFilter}), not for every request.
	 * @return what the thread noted before (a forward within a request noted already), to
	 * be given back to {@link #ended}
	 */
	public UserRevocations.@Nullable Begun begin() {
		UserRevocations.Begun before = requestBegun.get();
		requestBegun.set(UserRevocations.Begun.now(this.clocks.now()));
		return before;
	}

	/**
	 * Forget, as the chain after {@link #begin} returns, when it began: note again what
	 * was noted before, if anything.
	 * @param before what {@link #begin} returned
	 */
	public void ended(UserRevocations.@Nullable Begun before) {
		if (before != null) {
			requestBegun.set(before);
		}
		else {
			requestBegun.remove();
		}
	}

	/**
	 * Decide whether a request may use its session, and for a request that may, give the
	 * session cookie of a persistent policy its {@code Max-Age} on this response.
	 * @param request the request
	 * @param response the response
	 * @param session the request's session
	 * @return the decision
	 */
	public SessionDecision decide(HttpServletRequest request, HttpServletResponse response, HttpSession session) {
		return decide(request, response, session, decidedSession(session));
	}

	/**
	 * Decide whether a request may use its session, as {@link #decide} does, reading the
	 * session through one that remembers what the decision read of it.
	 * @param request the request
	 * @param response the response
	 * @param session the request's session
	 * @param decided the same session, as the decision reads it
	 * @return the decision
	 */
	SessionDecision decide(HttpServletRequest request, HttpServletResponse response, HttpSession session,
			DecidedSession decided) {
		checkPendingLogouts(decided);
		boolean expiredPage = isExpiredPage(request);
		SessionDecision decision = this.clocks.decide(decided, new ServletSessionRequest(request, session, decided,
				this.authenticationSupport, this.passiveRequests, this.privilegedPaths, expiredPage));
		if (decision.state() != null) {
			if (decision.reason() == null && !expiredPage && !this.privilegedPaths.isEmpty()
					&& request.getDispatcherType() == DispatcherType.REQUEST) {
				// A filter of the application may rewrite the path before Spring
				// Security sees it: then the rewritten path is judged too (without
				// privileged paths, nothing to judge and nothing kept)
				request.setAttribute(DECIDED_PATH_ATTRIBUTE,
						new DecidedPath(PathPatterns.pathWithinContext(request), session, decision));
			}
			aimCookie(request, response, session, decision.state());
			if (this.passiveRequests.defersActivity(request)) {
				// Counted by the endpoint, once the application's security accepted it
				deferActivity(request, session, decision);
			}
		}
		return decision;
	}

	private static void deferActivity(HttpServletRequest request, HttpSession session, SessionDecision decision) {
		try {
			request.setAttribute(ACTIVITY_AT_ENDPOINT_ATTRIBUTE, new ActivityAtEndpoint(session.getId(), decision));
		}
		catch (IllegalStateException ex) {
			// Invalidated by a concurrent request since: nothing to record later
		}
	}

	/**
	 * Record the activity of a request that its decision left to the endpoint it reached
	 * (the status endpoint's {@code POST}): only a request that the application's
	 * security accepted gets there, so one it refused (for want of the CSRF token, say)
	 * is no activity. The session cookie of a persistent policy is aimed again on this
	 * response. Any other request records nothing.
	 * @param request the request, as the endpoint got it
	 * @param response its response, not committed yet
	 * @see SessionClocks#recordActivity
	 */
	public void recordActivityAtEndpoint(HttpServletRequest request, HttpServletResponse response) {
		if (!(request.getAttribute(ACTIVITY_AT_ENDPOINT_ATTRIBUTE) instanceof ActivityAtEndpoint deferred)) {
			return;
		}
		// Once per request
		request.removeAttribute(ACTIVITY_AT_ENDPOINT_ATTRIBUTE);
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		try {
			if (!session.getId().equals(deferred.sessionId())) {
				// Not the session that was decided on (a new id, another session)
				return;
			}
		}
		catch (IllegalStateException ex) {
			// Invalidated: nothing to record
			return;
		}
		SessionState state = this.clocks.recordActivity(HttpSessionAccess.of(session), deferred.decision());
		if (state != null && !Objects.equals(state.cookieMaxAge(), request.getAttribute(COOKIE_MAX_AGE_ATTRIBUTE))) {
			// The cookie the decision aimed lives as long: not written twice
			aimCookie(request, response, session, state);
		}
	}

	/**
	 * The request attribute that holds the decision of a request whose activity the
	 * endpoint it reaches records.
	 */
	static final String ACTIVITY_AT_ENDPOINT_ATTRIBUTE = SessionAttributes.PREFIX + "activityAtEndpoint";

	/**
	 * A request whose activity the endpoint it reaches records.
	 *
	 * @param sessionId the id of the session it was served
	 * @param decision the decision to serve it
	 */
	record ActivityAtEndpoint(String sessionId, SessionDecision decision) {

	}

	/**
	 * Return a request's session as the decision reads it.
	 * @param session the session, as the request gives it
	 * @return the session that remembers what the decision read of it
	 */
	DecidedSession decidedSession(HttpSession session) {
		return new DecidedSession(session, this.authenticationSupport.authenticationAttribute(), this.storedSessions);
	}

	/**
	 * Look again for the logouts kept for the logins under way, at the first request of a
	 * session after its user signed in with OpenID Connect (a session its login marked):
	 * one that arrived after the login looked for them, and before its session was saved,
	 * revokes it. A store that does not answer fails the request, and the session keeps
	 * its mark. Any other request reads one attribute.
	 */
	private void checkPendingLogouts(DecidedSession session) {
		try {
			if (session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING) == null) {
				return;
			}
			PendingLogoutCheck check = this.pendingLogoutCheck.get();
			if (check != null) {
				check.check(session, this.clocks.now());
			}
		}
		catch (IllegalStateException ex) {
			if (SessionAttributes.isValid(session)) {
				throw ex;
			}
			// Invalidated by a concurrent request since this one looked it up: the
			// decision tells why
		}
	}

	/**
	 * Return why the session a request names, which the store does not know, ended.
	 * @param request a request whose requested session id is not valid
	 * @return the reason remembered for it, else {@link ExpiryReason#INVALID}
	 */
	public ExpiryReason unknownSessionReason(HttpServletRequest request) {
		String sessionId = request.getRequestedSessionId();
		if (sessionId == null) {
			return ExpiryReason.INVALID;
		}
		ExpiryReason reason = this.clocks.unknownSessionReason(sessionId);
		int node = sessionId.lastIndexOf('.');
		if (reason == ExpiryReason.INVALID && node > 0) {
			// Jetty's session cookie names the node after the session's id
			// ("node0abc.node0"), which its sessions' ids leave out
			reason = this.clocks.unknownSessionReason(sessionId.substring(0, node));
		}
		return reason;
	}

	/**
	 * Keep a container session that was revoked while a request of it ran for the store
	 * grace from now on, as its revocation did: the container counts the session's
	 * interval on from the end of that request (Tomcat), or counted it from the request's
	 * start.
	 * @param session the request's session
	 */
	public void keepIfRevoked(HttpSession session) {
		HttpSessionAccess access = HttpSessionAccess.of(session);
		if (access.getAttribute(SessionAttributes.REVOKED_AT) != null) {
			SessionAttributes.expireIn(access, this.clocks.revokedStoreLifetime(access));
		}
	}

	/**
	 * Start the clocks of a session that was just created for a request.
	 * @param request the request
	 * @param response the response
	 * @param session the new session
	 * @return the state of the session
	 */
	public SessionState start(HttpServletRequest request, HttpServletResponse response, HttpSession session) {
		SessionState state = this.clocks.start(HttpSessionAccess.of(session));
		aimCookie(request, response, session, state);
		return state;
	}

	/**
	 * Return whether a request is a request of the expired page, which is never refused.
	 * @param request the request
	 * @return {@code true} for the expired page
	 */
	public boolean isExpiredPage(HttpServletRequest request) {
		return PathPatterns.isPathWithinContext(request, this.expiredPath);
	}

	/**
	 * Return whether a request is passive (polling, a heartbeat, the status endpoint's
	 * {@code GET}): one that never counts as activity, and that Spring Security's
	 * remember-me therefore never signs in. A request of the status endpoint that counts
	 * as activity once it reaches it ("stay signed in") is not.
	 * @param request the request
	 * @return {@code true} for a passive request
	 */
	public boolean isPassive(HttpServletRequest request) {
		return this.passiveRequests.isPassive(request) && !this.passiveRequests.defersActivity(request);
	}

	/**
	 * Return whether a request's session may perform a privileged operation that needs an
	 * authentication no older than the given age.
	 * @param request the request of the operation
	 * @param session its session
	 * @param maxAge the maximum age of the authentication, {@code null} for none
	 * @return {@code true} if the operation may proceed
	 * @see SessionClocks#isPrivileged
	 */
	public boolean isPrivileged(HttpServletRequest request, HttpSession session, @Nullable Duration maxAge) {
		try {
			return this.clocks.isPrivileged(HttpSessionAccess.of(session), maxAge, request(request, session));
		}
		catch (RuntimeException ex) {
			if (StoreFailures.isUnavailable(ex)) {
				// The store did not answer the claim of a privilege grant: never served,
				// and answered as the store's outage wherever the failure ends up
				request.setAttribute(PRIVILEGE_GRANT_UNANSWERED_ATTRIBUTE, Boolean.TRUE);
			}
			throw ex;
		}
	}

	/**
	 * Claim the privilege grant whose claim the session's decision left to the request's
	 * security filter chain (a privileged path with a maximum age of zero), now that the
	 * chain let the request through, unless a filter of the application rewrote its path
	 * since to one that is no privileged path.
	 * @param request the request
	 * @return {@code true} if the decision left no claim or the request got the grant,
	 * {@code false} if the grant is gone (used by another request): the request is to be
	 * challenged
	 * @throws RuntimeException if the store does not answer the claim, which is answered
	 * as its outage
	 */
	public boolean claimDeferredGrant(HttpServletRequest request) {
		if (request.getAttribute(ServletSessionRequest.DEFERRED_GRANT_CLAIM_ATTRIBUTE) == null) {
			return true;
		}
		request.removeAttribute(ServletSessionRequest.DEFERRED_GRANT_CLAIM_ATTRIBUTE);
		if (!isPrivilegedPath(request)) {
			// A filter of the application rewrote the path since to one that needs no
			// privileged session: the grant stays for a request that needs it
			return true;
		}
		HttpSession session = request.getSession(false);
		return session != null && isPrivileged(request, session, Duration.ZERO);
	}

	/**
	 * Return whether a failure of a request is that its session store did not answer the
	 * claim of its session's privilege grant, which is answered as the store's outage.
	 * The claim runs on the request's own thread and fails with the store's own failure,
	 * which the application may catch as it is (an optional privileged step): the request
	 * remembers the claim's failure instead.
	 * @param request the request
	 * @param ex the failure
	 * @return {@code true} if the store did not answer the claim
	 */
	private static boolean isPrivilegeGrantUnanswered(HttpServletRequest request, Throwable ex) {
		return request.getAttribute(PRIVILEGE_GRANT_UNANSWERED_ATTRIBUTE) != null && StoreFailures.isUnavailable(ex);
	}

	/**
	 * Return whether a failure of a request is that its session store did not answer what
	 * the decision of a privileged operation asked of it: the claim of its session's
	 * privilege grant, or, for an operation that the request handed to another thread
	 * ({@code @Async}), the look at the session that served it (a
	 * {@link PrivilegedDecisionUnansweredException} among the failure's causes). Such a
	 * failure is answered as the store's outage.
	 * @param request the request
	 * @param ex the failure
	 * @return {@code true} if the store did not answer a privileged decision
	 */
	public static boolean isPrivilegedDecisionUnanswered(HttpServletRequest request, Throwable ex) {
		return isPrivilegeGrantUnanswered(request, ex) || PrivilegedDecisionUnansweredException.isCauseOf(ex);
	}

	/**
	 * Return whether the path of a request, or of the resource a request forwards to or
	 * includes, needs a privileged session.
	 * @param request the request, in any dispatch
	 * @return {@code true} for a privileged path
	 */
	public boolean isPrivilegedPath(HttpServletRequest request) {
		return this.privilegedPaths.matches(request);
	}

	/**
	 * The request attribute that holds the path on which the session's decision served a
	 * request.
	 */
	static final String DECIDED_PATH_ATTRIBUTE = SessionAttributes.PREFIX + "decidedPath";

	/**
	 * The path within the context on which the session's decision served a request.
	 *
	 * @param path the path the decision judged
	 * @param session the session it decided on, as the request gave it
	 * @param decision the decision to serve the request
	 */
	record DecidedPath(String path, HttpSession session, SessionDecision decision) {

	}

	/**
	 * Return, for a request whose session's decision served it, the decision and the path
	 * it judged, if a filter of the application rewrote that path since to a privileged
	 * one; the request is judged so once.
	 * @param request the request, as the security filter chain sees it
	 * @return the decision and the path it judged, or {@code null} if the request was not
	 * served from its session, or its path is the one judged, or is no privileged path
	 */
	@Nullable DecidedPath rewrittenToPrivilegedPath(HttpServletRequest request) {
		if (this.privilegedPaths.isEmpty()) {
			// No path is privileged, and no decision kept its path: nothing to look up
			// on the request
			return null;
		}
		if (!(request.getAttribute(DECIDED_PATH_ATTRIBUTE) instanceof DecidedPath decided)
				|| request.getDispatcherType() != DispatcherType.REQUEST
				|| decided.path().equals(PathPatterns.pathWithinContext(request)) || !isPrivilegedPath(request)) {
			return null;
		}
		request.removeAttribute(DECIDED_PATH_ATTRIBUTE);
		return decided;
	}

	/**
	 * Decide the rule of privileged paths again for a request that its session's decision
	 * served, with its path as a filter of the application rewrote it since, from the
	 * state that decision found ({@link SessionClocks#decidePrivilegedPathAgain}); a
	 * challenge takes back the activity that the decision recorded, as a privileged path
	 * challenged by the decision records none.
	 * @param request the request, as the security filter chain sees it
	 * @param response its response, not committed yet
	 * @param decided the decision and the path it judged
	 * @return the challenge, or {@code null} to serve the request
	 */
	@Nullable SessionDecision decidePrivilegedPathAgain(HttpServletRequest request, HttpServletResponse response,
			DecidedPath decided) {
		HttpSession session = decided.session();
		SessionDecision challenge;
		try {
			challenge = this.clocks.decidePrivilegedPathAgain(HttpSessionAccess.of(session), decided.decision(),
					request(request, session));
		}
		catch (RuntimeException ex) {
			if (StoreFailures.isUnavailable(ex)) {
				// The store did not answer the claim of a privilege grant: never served,
				// and answered as the store's outage
				request.setAttribute(PRIVILEGE_GRANT_UNANSWERED_ATTRIBUTE, Boolean.TRUE);
			}
			throw ex;
		}
		if (challenge != null) {
			withdrawActivity(request, response, session.getId(), decided.decision());
		}
		return challenge;
	}

	/**
	 * Return the policy of a session.
	 * @param session the session
	 * @return the policy
	 */
	public SessionTimeoutPolicy policy(HttpSession session) {
		return this.clocks.policy(HttpSessionAccess.of(session));
	}

	/**
	 * Return the maximum age of the authentication for a privileged operation of a
	 * session.
	 * @param session the session
	 * @return the maximum age, {@code null} if the session's policy enables no check
	 * @see SessionClocks#privilegedMaxAge(SessionAttributeSource)
	 */
	public @Nullable Duration privilegedMaxAge(HttpSession session) {
		return this.clocks.privilegedMaxAge(HttpSessionAccess.of(session));
	}

	/**
	 * Record a successful (re)authentication in the session of a request.
	 * @param request the request of the authentication
	 * @param response the response, {@code null} if unknown
	 * @param session the session
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it, or {@code null} for now
	 * @param policy the policy of the session from now on
	 * @return the session's state
	 * @see SessionClocks#recordAuthentication
	 */
	public SessionState recordAuthentication(HttpServletRequest request, @Nullable HttpServletResponse response,
			HttpSession session, @Nullable Instant reportedAuthenticatedAt, SessionTimeoutPolicy policy) {
		return recordAuthentication(request, response, session, reportedAuthenticatedAt, true, policy);
	}

	/**
	 * Record a successful sign-in in the session of a request, one that authenticated its
	 * user or, as Spring Security's remember-me, did not. The rest of a request whose
	 * sign-in leaves its user due to authenticate again (a remember-me login under a
	 * re-authentication lifetime) is challenged by the request's security filter chain,
	 * after its authorization, as the session's next request would be.
	 * @param request the request of the sign-in
	 * @param response the response, {@code null} if unknown
	 * @param session the session
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it, or {@code null} for now
	 * @param authenticated whether the sign-in authenticated its user
	 * @param policy the policy of the session from now on
	 * @return the session's state
	 * @see SessionClocks#recordAuthentication
	 */
	public SessionState recordAuthentication(HttpServletRequest request, @Nullable HttpServletResponse response,
			HttpSession session, @Nullable Instant reportedAuthenticatedAt, boolean authenticated,
			SessionTimeoutPolicy policy) {
		SessionState state = this.clocks.recordAuthentication(HttpSessionAccess.of(session), reportedAuthenticatedAt,
				authenticated, policy);
		SessionDecision challenge = this.clocks.decideAfterSignIn(request(request, session), state);
		if (challenge != null) {
			ServletSessionAnswers.leaveChallenge(request, challenge);
		}
		// Read once a login is recorded, and again as its request ends: a revocation of
		// its user meanwhile cannot find its session, which the store holds only from
		// the request's end (or the response's commit) on. A login that proves no
		// factor (remember-me) is dated from just before its token check (noted by the
		// filter before remember-me's): a revocation that removed the token since
		// recorded itself after that check, so it ends the login
		indexAndReadRevocations(request, session, !authenticated ? requestBegun.get() : null, UnaryOperator.identity());
		if (this.recordDevice || this.recordAddress) {
			String address = request.getRemoteAddr();
			SessionAttributes.recordSignIn(HttpSessionAccess.of(session),
					this.recordDevice ? DeviceSummary.code(request.getHeader(HttpHeaders.USER_AGENT)) : null,
					(this.recordAddress && address != null && ADDRESS.matcher(address).matches()) ? address : null);
		}
		aimCookie(request, response, session, state);
		return state;
	}

	/**
	 * Have a sign-in's session indexed as its request ends ({@link #indexSaved}), and,
	 * unless the request read them for a sign-in already, read its user's revocations
	 * now, to be read again then.
	 * @param request the request of the sign-in
	 * @param session its session
	 * @param begun when the sign-in is dated from, {@code null} for now
	 * @param dated what is kept of the revocations read
	 * @return whether they were read now
	 */
	private boolean indexAndReadRevocations(HttpServletRequest request, HttpSession session,
			UserRevocations.@Nullable Begun begun, UnaryOperator<UserRevocations.Seen> dated) {
		request.setAttribute(INDEXED_SESSION_ID_ATTRIBUTE, session.getId());
		if (request.getAttribute(REVOCATIONS_AT_LOGIN_ATTRIBUTE) != null) {
			return false;
		}
		UserRevocations.Seen seen = this.clocks.revocationsAtLogin(HttpSessionAccess.of(session), begun);
		if (seen == null) {
			return false;
		}
		request.setAttribute(REVOCATIONS_AT_LOGIN_ATTRIBUTE, dated.apply(seen));
		return true;
	}

	/**
	 * Return what a session's authentication attribute holds: read once at a request's
	 * end, and compared with what it held at the decision, to tell a sign-out
	 * ({@link #rememberIfSignedOut}) and a switch of user ({@link #indexIfSwitched}).
	 * @param session the session the request was decided on
	 * @return the attribute's value, {@code null} if it holds none or there is no such
	 * attribute
	 * @throws IllegalStateException if the session is invalidated
	 */
	@Nullable Object authenticationAttributeOf(HttpSession session) {
		String attribute = this.authenticationSupport.authenticationAttribute();
		return (attribute != null) ? session.getAttribute(attribute) : null;
	}

	/**
	 * Tell the clocks whether the user of the session they decided on and did not end
	 * signed out of it in the request without its invalidation (a logout that keeps the
	 * session): the session held a user at the decision and holds none, still valid, at
	 * the request's end. Where the store saves whole copies of a session in this node's
	 * memory (Spring Session's map), a request that loaded the session signed in before
	 * saves its copy after, under the id it found: under the same id, such a copy is
	 * ended at its next request (the sign-out is remembered); after a change of id (a
	 * logout that renames the session), the old id is remembered like an invalidation.
	 * Elsewhere nothing is read.
	 * @param session the session the request was decided on
	 * @param decidedId its id when the request was decided
	 * @param signedInAtDecision whether its authentication attribute held an
	 * authenticated user at the decision (read then: a logout empties the security
	 * context that a container session shares with the request)
	 * @param authentication what it holds at the request's end
	 * ({@link #authenticationAttributeOf(HttpSession)})
	 * @param decision the decision, which did not end the session
	 * @return whether the user signed out of it
	 */
	boolean rememberIfSignedOut(HttpSession session, String decidedId, boolean signedInAtDecision,
			@Nullable Object authentication, SessionDecision decision) {
		if (!signedInAtDecision || authentication != null
				|| this.authenticationSupport.authenticationAttribute() == null) {
			return false;
		}
		try {
			HttpSessionAccess access = HttpSessionAccess.of(session);
			if (!this.clocks.keepsSignOuts()) {
				this.clocks.forgetLogin(access);
				return false;
			}
			if (session.getId().equals(decidedId)) {
				this.clocks.signedOut(decidedId, access, decision.state());
			}
			else {
				// Every copy under the old id is one from before: nothing lives on there
				this.clocks.invalidated(decidedId, decision.state());
			}
			// Forgotten once the sign-out names the user who signed out
			this.clocks.forgetLogin(access);
			return true;
		}
		catch (IllegalStateException ex) {
			// Invalidated further down: remembered as such
			return false;
		}
	}

	/**
	 * Follow a request's change of its session's id: tell the session end listeners
	 * (Spring Security's {@code SessionRegistry}), tell what remembers ended sessions (a
	 * revocation that read the session under its old id ends it under the new one), and
	 * index the session under its new id if the application changed it (a
	 * {@code changeSessionId()} of its own, with no login that indexed it), so that the
	 * session is still found and revoked with its user's sessions. If either cannot be
	 * written the session is invalidated: a session its user's revocation cannot reach is
	 * never kept.
	 * @param request the request
	 * @param session the session the request was decided on
	 * @param decidedId its id when the request was decided
	 */
	public void indexIfRenamed(HttpServletRequest request, HttpSession session, String decidedId) {
		indexIfRenamed(request, session, decidedId, false);
	}

	/**
	 * Follow a request's change of its session's id, as
	 * {@link #indexIfRenamed(HttpServletRequest, HttpSession, String)} does; after its
	 * user signed out of it ({@link #rememberIfSignedOut}), the new id is not remembered
	 * as the old one's, which ended.
	 * @param request the request
	 * @param session the session the request was decided on
	 * @param decidedId its id when the request was decided
	 * @param signedOut whether its user signed out of it in the request
	 */
	public void indexIfRenamed(HttpServletRequest request, HttpSession session, String decidedId, boolean signedOut) {
		String id;
		try {
			id = session.getId();
		}
		catch (IllegalStateException ex) {
			// Invalidated further down: nothing to find any more
			return;
		}
		if (id.equals(decidedId)) {
			return;
		}
		HttpSessionAccess access = HttpSessionAccess.of(session);
		try {
			// Spring Security's SessionRegistry, told by no container event under Spring
			// Session, would keep the previous id, which a login registered
			this.clocks.idChanged(decidedId, id);
			if (!signedOut) {
				this.clocks.renamed(decidedId, access);
			}
			if (!id.equals(request.getAttribute(INDEXED_SESSION_ID_ATTRIBUTE))) {
				this.clocks.indexRenamed(access);
			}
		}
		catch (RuntimeException ex) {
			if (!SessionAttributes.isValid(access)) {
				// Invalidated by a concurrent request since
				return;
			}
			throw invalidated(session, ex);
		}
		request.setAttribute(INDEXED_SESSION_ID_ATTRIBUTE, id);
	}

	/**
	 * Index a session in which a request switched its user to another (Spring Security's
	 * {@code SwitchUserFilter}, which keeps the session id and publishes no login) under
	 * the user switched to and each user who switched, at once: the starter's index files
	 * it under the user who signed in only, and a store with an index of its own under
	 * the user switched to only. Only a request that replaced the session's
	 * authentication (the attribute that holds it no longer holds what the decision
	 * found) is looked at further. If it cannot be written the session is invalidated: a
	 * session its users' revocation cannot reach is never kept.
	 * @param session the session the request was decided on
	 * @param decidedAuthentication what its authentication attribute held when the
	 * request was decided
	 * @param authentication what it holds at the request's end
	 * ({@link #authenticationAttributeOf(HttpSession)})
	 */
	public void indexIfSwitched(HttpSession session, @Nullable Object decidedAuthentication,
			@Nullable Object authentication) {
		if (authentication == null || authentication == decidedAuthentication) {
			return;
		}
		HttpSessionAccess access = HttpSessionAccess.of(session);
		try {
			if (this.clocks.switchedFrom(access).isEmpty()) {
				return;
			}
		}
		catch (IllegalStateException ex) {
			// Invalidated further down: nothing to find any more
			return;
		}
		try {
			this.clocks.indexSaved(access);
		}
		catch (RuntimeException ex) {
			if (!SessionAttributes.isValid(access)) {
				return;
			}
			throw invalidated(session, ex);
		}
	}

	/**
	 * Index the request's session under its user, as the request ends, if the application
	 * filed it in its store's own index of sessions by user under another name since the
	 * starter last looked ({@link SessionClocks#indexIfRefiled}): there the store finds
	 * it under that name only. If that fails the session is invalidated: a session its
	 * user's revocation cannot reach is never kept.
	 * @param request the request
	 */
	public void indexIfRefiled(HttpServletRequest request) {
		if (!this.clocks.indexesRefiled() || ServletSessionAnswers.isNotServed(request)) {
			// Nothing to look at on a store whose sessions the starter indexes itself,
			// nor in a request it did not serve (its store did not answer: asked for
			// the session again, it would ask the store again)
			return;
		}
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		HttpSessionAccess access = HttpSessionAccess.of(session);
		try {
			this.clocks.indexIfRefiled(access);
		}
		catch (IllegalStateException ex) {
			// Invalidated further down: nothing to find any more
		}
		catch (RuntimeException ex) {
			if (SessionAttributes.isValid(access)) {
				throw invalidated(session, ex);
			}
		}
	}

	/**
	 * Give a session, as a request that signed its user in ends, the policy of that
	 * user's authentication, if the login was none the clocks recorded (the application
	 * saved the security context itself; no
	 * {@code InteractiveAuthenticationSuccessEvent}), rather than leave it to the
	 * session's next decision: until then the store, and a persistent cookie, would keep
	 * the session as the global policy that this request's decision, made without that
	 * user, aimed them by (see {@link SessionClocks#followSignIn}). Called only for a
	 * session whose authentication attribute the request replaced with one, or that the
	 * request created holding one. If that fails (the session's entry in its user's index
	 * cannot be written, a policy override fails) the session is invalidated: a signed-in
	 * session its user's revocation may not reach is never kept.
	 * <p>
	 * As a login the clocks recorded, the sign-in is indexed as Spring Session saves its
	 * session and reads its user's revocations again then ({@link #indexSaved}): a
	 * revocation of its user while the request ran could not find the session, which the
	 * store holds only from the request's end on. When the application signed its user in
	 * is unknown, so the sign-in is dated from the request's decision, or from the
	 * session's creation for a session the request created: a revocation during the
	 * request ends it, even one before the sign-in (fail closed), but for the request's
	 * own revocation of its user before it (a password reset's auto-login,
	 * {@link UserRevocations.Seen#afterOwnRevocation}). Its response is not committed
	 * early ({@link #indexSaved}).
	 * @param request the request
	 * @param response its response
	 * @param session the session
	 * @param decidedAt when the clocks decided on the session, {@code null} for a session
	 * the request created
	 */
	void followSignIn(HttpServletRequest request, HttpServletResponse response, HttpSession session,
			@Nullable Instant decidedAt) {
		HttpSessionAccess access = HttpSessionAccess.of(session);
		SessionState state;
		try {
			state = this.clocks.followSignIn(access, request(request, session));
			if (state != null) {
				Instant signedInAfter = (decidedAt != null) ? decidedAt : state.timeline().createdAt();
				// No record this JVM wrote is known to be of a revocation before it, but
				// for this request's own before the sign-in (a password reset's)
				if (indexAndReadRevocations(request, session, new UserRevocations.Begun(signedInAfter, 0),
						UserRevocations.Seen::afterOwnRevocation)) {
					// Saved by Spring Session as the request returns, not sooner: the
					// response stays the application's filters' to finish
					request.setAttribute(SIGN_IN_FOLLOWED_ATTRIBUTE, Boolean.TRUE);
				}
			}
		}
		catch (RuntimeException ex) {
			if (!SessionAttributes.isValid(access)) {
				// Invalidated further down, or by a concurrent request
				return;
			}
			throw invalidated(session, ex);
		}
		if (state != null) {
			aimCookie(request, response, session, state);
		}
	}

	/**
	 * Tell the index of each user's sessions, as a request in which a user authenticated
	 * in its session (or that renamed its session) ends, that the session is saved now:
	 * Spring Session saves it only as the request ends, which may be minutes after the
	 * login (a remember-me login at the start of an upload), and a login of the same user
	 * forgets an entry whose session the store does not hold a minute after it was
	 * written. Then, for a login, read the record of its user's revocations again
	 * ({@link SessionClocks#endIfRevokedInFlight}). If either cannot be written or read
	 * the session is invalidated: a session its user's revocation cannot reach is never
	 * kept.
	 * <p>
	 * With the response of a login, where Spring Session serves the sessions, the
	 * response is committed first, unless it is already or the request went asynchronous:
	 * Spring Session saves the session as it commits, so that a revocation of the user
	 * that the read misses (it records itself after the read) finds the session in the
	 * store and in the index; read before the save, a revocation that recorded itself and
	 * looked for the user's sessions between the read and the save would miss the login.
	 * Only a login's request pays it; a session found revoked after the save is deleted
	 * from the store. A sign-in the application made itself ({@link #followSignIn}) does
	 * not: its response stays the application's filters' to finish (their headers, as the
	 * request returns), and a revocation that records itself after the read and looks for
	 * the user's sessions before Spring Session saves the session, as the request
	 * returns, misses it.
	 * <p>
	 * Called as each dispatch of a request ends that a login may be recorded in: the
	 * request's own, and the later ones that run the security filter chain again (its
	 * error page, its asynchronous dispatch), each for what it recorded itself.
	 * @param request the request
	 * @param response its response as Spring Session's filter wraps it, or {@code null}
	 * if it is not to be committed (the request fails, and the container answers it)
	 */
	public void indexSaved(HttpServletRequest request, @Nullable HttpServletResponse response) {
		if (!(request.getAttribute(INDEXED_SESSION_ID_ATTRIBUTE) instanceof String indexedId)) {
			return;
		}
		UserRevocations.Seen seen = (request
			.getAttribute(REVOCATIONS_AT_LOGIN_ATTRIBUTE) instanceof UserRevocations.Seen read) ? read : null;
		// Done for this dispatch: a later one (the error page's) does it again only
		// for a login of its own
		boolean followed = request.getAttribute(SIGN_IN_FOLLOWED_ATTRIBUTE) != null;
		request.removeAttribute(INDEXED_SESSION_ID_ATTRIBUTE);
		request.removeAttribute(REVOCATIONS_AT_LOGIN_ATTRIBUTE);
		request.removeAttribute(SIGN_IN_FOLLOWED_ATTRIBUTE);
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		HttpSessionAccess access = HttpSessionAccess.of(session);
		try {
			if (!indexedId.equals(session.getId())) {
				return;
			}
			if (seen != null && response != null && !followed) {
				saveNow(request, response);
			}
			// Indexed before the last read: a revocation that the read misses finds the
			// session in the index
			this.clocks.indexSaved(access);
			if (seen != null) {
				// Its user's sessions revoked everywhere while the login's request ran:
				// ended, never served
				this.clocks.endIfRevokedInFlight(access, seen);
			}
		}
		catch (IllegalStateException ex) {
			// Invalidated further down: nothing to find any more
		}
		catch (RuntimeException ex) {
			throw invalidated(session, ex);
		}
	}

	/**
	 * Have Spring Session save a login's session now, by committing its response, unless
	 * it committed (and saved the session) already, the request went asynchronous, whose
	 * response the application still writes, or it answers an error, whose page the
	 * container writes after the filters (a {@code sendError} that a container would not
	 * write once committed). The error page's own dispatch wrote that page already.
	 */
	private static void saveNow(HttpServletRequest request, HttpServletResponse response) {
		if (!SpringSessionRequests.servesSessions(request) || request.isAsyncStarted() || response.isCommitted()
				|| (response.getStatus() >= 400 && request.getDispatcherType() != DispatcherType.ERROR)) {
			return;
		}
		try {
			response.flushBuffer();
		}
		catch (IOException ex) {
			// The client went away: Spring Session saved the session before the flush
		}
	}

	/**
	 * Invalidate a session whose entry in its users' index could not be written: a
	 * session its users' revocation cannot reach is never kept.
	 * @param session the session
	 * @param ex why the entry could not be written
	 * @return the failure to throw, with the invalidation's own, if any, suppressed
	 */
	private static RuntimeException invalidated(HttpSession session, RuntimeException ex) {
		try {
			session.invalidate();
		}
		catch (RuntimeException failure) {
			ex.addSuppressed(failure);
		}
		return ex;
	}

	/**
	 * Remember, for privileged operations on other threads, the state of a session that a
	 * request is served with, by the authentication of its user: only if the application
	 * has privileged operations.
	 * @param session the session
	 * @param decision the decision to serve the request
	 * @see #servedState(Object)
	 */
	public void served(HttpSession session, SessionDecision decision) {
		served(session, decision, null);
	}

	/**
	 * Remember, for privileged operations on other threads, the state of a session that a
	 * request is served with, as {@link #served(HttpSession, SessionDecision)} does, from
	 * what the decision read of the session's authentication.
	 * @param session the session
	 * @param decision the decision to serve the request
	 * @param decided the same session, as the decision read it, if known
	 */
	void served(HttpSession session, SessionDecision decision, @Nullable DecidedSession decided) {
		SessionState state = decision.state();
		if (state != null && this.clocks.getPrivilegedOperations().exist()) {
			Object authentication;
			String sessionId;
			try {
				authentication = authenticationOf(session, decided);
				sessionId = session.getId();
			}
			catch (IllegalStateException ex) {
				// A container session that a concurrent request invalidated: nothing to
				// serve from it any more
				return;
			}
			if (authentication != null) {
				rememberServed(authentication, session, sessionId, state, decision.writtenAuthenticatedAt());
			}
		}
	}

	/**
	 * Remember, for privileged operations on other threads, the state of a session whose
	 * user just authenticated, by the new authentication: only if the application has
	 * privileged operations.
	 * @param session the session
	 * @param authentication the new authentication
	 * @param state the state of its session, as just written
	 * @see #servedState(Object)
	 */
	public void authenticated(HttpSession session, Object authentication, SessionState state) {
		if (this.clocks.getPrivilegedOperations().exist()) {
			String sessionId;
			try {
				sessionId = session.getId();
			}
			catch (IllegalStateException ex) {
				return;
			}
			rememberServed(authentication, session, sessionId, state, state.timeline().authenticatedAt());
		}
	}

	private void rememberServed(Object authentication, HttpSession session, String sessionId, SessionState state,
			@Nullable Instant writtenAuthenticatedAt) {
		this.servedAuthentications.remember(authentication, state,
				() -> watch(session, sessionId, state, writtenAuthenticatedAt, true));
	}

	/**
	 * Return the state of the session that a request last served an authentication from:
	 * its policy and when its user authenticated, for a privileged operation that the
	 * request handed to another thread along with its security context. Whether that
	 * session may still serve it is {@link #servedSessionEnd(Object)}'s.
	 * @param authentication the authentication
	 * @return the state, or {@code null} if no request served it from a session
	 */
	public @Nullable SessionState servedState(Object authentication) {
		return this.servedAuthentications.stateOf(authentication);
	}

	/**
	 * Return why the session that a request last served an authentication from may no
	 * longer serve it on another thread: it ended, or its user must authenticate again or
	 * did. Decided as for a response that outlives its request: by the deadlines known
	 * when it was served, and by the session as its store holds it once one of them is
	 * reached or the response check interval has passed (a logout, a revocation, another
	 * request's activity).
	 * @param authentication the authentication
	 * @return the reason, or {@code null} while the session may serve it
	 * @throws PrivilegedDecisionUnansweredException if the store does not answer (the
	 * next call asks it again), with the store's failure as its cause
	 * @throws RuntimeException on any other failure of the store's look
	 * @see #servedState(Object)
	 */
	public @Nullable ExpiryReason servedSessionEnd(Object authentication) {
		try {
			return this.servedAuthentications.endOf(authentication);
		}
		catch (RuntimeException ex) {
			if (StoreFailures.isUnavailable(ex)) {
				// Never run, and answered as the store's outage wherever the failure ends
				// up: the request that handed the operation over, if it fails with it
				throw new PrivilegedDecisionUnansweredException(ex);
			}
			throw ex;
		}
	}

	/**
	 * Return a watch over a session that a request is served with, which reads it from
	 * Spring Session's store by its id, or else from the container's session itself.
	 * @param session the session
	 * @param sessionId its id
	 * @param state its state, as the request is served with it
	 * @param writtenAuthenticatedAt when its user authenticated, as the session holds it
	 * @param authenticated whether the request runs with the authentication of the
	 * session's user
	 * @return the watch
	 */
	SessionWatch watch(HttpSession session, String sessionId, SessionState state,
			@Nullable Instant writtenAuthenticatedAt, boolean authenticated) {
		StoredSessions stored = this.storedSessions;
		return this.clocks.watch(sessionId, state, writtenAuthenticatedAt, authenticated,
				(stored != null) ? () -> stored.find(sessionId) : () -> live(session));
	}

	private static @Nullable SessionAttributeSource live(HttpSession session) {
		try {
			session.getCreationTime();
			return session::getAttribute;
		}
		catch (IllegalStateException ex) {
			// Invalidated
			return null;
		}
	}

	/**
	 * Return the challenge that an authentication in a session must meet.
	 * @param session the session
	 * @param now the current instant
	 * @return the challenge, or {@code null} if there is none
	 * @see SessionClocks#challengeToMeet
	 */
	public @Nullable PendingChallenge challengeToMeet(HttpSession session, Instant now) {
		return this.clocks.challengeToMeet(HttpSessionAccess.of(session), now);
	}

	/**
	 * Return the identity provider of a session's user.
	 * @param session the session
	 * @return the OAuth 2.0 client registration its user signed in with, or {@code null}
	 * @see SessionClocks#providerOf
	 */
	public @Nullable String providerOf(HttpSession session) {
		return this.clocks.providerOf(HttpSessionAccess.of(session));
	}

	@Override
	public Optional<SessionStatus> status(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return (session != null) ? this.clocks.status(HttpSessionAccess.of(session)) : Optional.empty();
	}

	private SessionRequest request(HttpServletRequest request, HttpSession session) {
		return new ServletSessionRequest(request, session, this.authenticationSupport, this.passiveRequests,
				this.privilegedPaths, isExpiredPage(request));
	}

	/**
	 * Give the session cookie of a persistent policy a {@code Max-Age} of the remaining
	 * absolute lifetime (else of the idle one): Spring Session's own cookie writes read
	 * it from the request, and the cookie is written on this response too, so that it
	 * shrinks with every response. A session that this request moved from a persistent
	 * policy to one without (a login that kept the session's id) gets a browser-session
	 * cookie on this response instead, in place of the persistent one its browser holds.
	 */
	private void aimCookie(HttpServletRequest request, @Nullable HttpServletResponse response, HttpSession session,
			SessionState state) {
		Integer maxAge = state.cookieMaxAge();
		if (maxAge == null) {
			// Looked up before its removal, which looks it up anyway: no cost per request
			if (request.getAttribute(COOKIE_MAX_AGE_ATTRIBUTE) != null) {
				request.removeAttribute(COOKIE_MAX_AGE_ATTRIBUTE);
				if (response != null && !response.isCommitted()) {
					this.cookieWriter.write(request, response, session, -1);
				}
			}
			return;
		}
		request.setAttribute(COOKIE_MAX_AGE_ATTRIBUTE, maxAge);
		if (response != null && !response.isCommitted()) {
			this.cookieWriter.write(request, response, session, maxAge);
		}
	}

}
