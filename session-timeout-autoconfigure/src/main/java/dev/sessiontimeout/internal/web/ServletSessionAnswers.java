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
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAnswers;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;

/**
 * Answers servlet requests whose session ended or whose user must authenticate again, as
 * the {@link SessionClocks} decided: it records a challenge, saves a browser's request
 * for after the login and starts the login flow, drops the cookie of an ended session,
 * and has the {@link SessionTimeoutResponder} write the {@code 302} or {@code 401}. A
 * challenge found before Spring Security is handed to the request's security filter
 * chain, which answers it after its authorization.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ServletSessionAnswers {

	private static final Log logger = LogFactory.getLog(ServletSessionAnswers.class);

	/**
	 * The request attribute that tells {@link SessionCookieSerializerInterceptor} to
	 * leave the session cookie of a request that {@link #answerEnded} answered as it is.
	 */
	static final String KEEP_COOKIE_ATTRIBUTE = SessionAttributes.PREFIX + "keepCookie";

	/**
	 * The request attribute that marks a request whose session the starter did not serve:
	 * Spring Session must not save its copy.
	 */
	private static final String UNSERVED_ATTRIBUTE = SessionAttributes.PREFIX + "unserved";

	private static final String PENDING_CHALLENGE_ATTRIBUTE = SessionAttributes.PREFIX + "pendingChallenge";

	private final SessionClocks clocks;

	private final SessionTimeoutResponder responder;

	private SessionAuthenticationSupport authenticationSupport = SessionAuthenticationSupport.NONE;

	private SessionCookieWriter cookieWriter = new ContainerSessionCookieWriter();

	/**
	 * Create a new instance.
	 * @param clocks the session clocks, which record challenges
	 * @param responder writes the answers
	 */
	public ServletSessionAnswers(SessionClocks clocks, SessionTimeoutResponder responder) {
		Assert.notNull(clocks, "'clocks' must not be null");
		Assert.notNull(responder, "'responder' must not be null");
		this.clocks = clocks;
		this.responder = responder;
	}

	/**
	 * Set what the answers need to know of the application's authentication.
	 * @param authenticationSupport the authentication support
	 */
	public void setAuthenticationSupport(SessionAuthenticationSupport authenticationSupport) {
		Assert.notNull(authenticationSupport, "'authenticationSupport' must not be null");
		this.authenticationSupport = authenticationSupport;
	}

	/**
	 * Set what writes, and drops, the session cookie.
	 * @param cookieWriter the cookie writer
	 */
	public void setCookieWriter(SessionCookieWriter cookieWriter) {
		Assert.notNull(cookieWriter, "'cookieWriter' must not be null");
		this.cookieWriter = cookieWriter;
	}

	/**
	 * Return whether the security filter chain of a request answers its challenges after
	 * its authorization.
	 * @param request the request
	 * @return {@code true} if the chain answers challenges
	 */
	public boolean answersChallenges(HttpServletRequest request) {
		return this.authenticationSupport.answersChallenges(request);
	}

	/**
	 * Answer a request whose session store did not answer: a {@code 503}, never the
	 * request served without its session, and the failure logged once at WARN. The
	 * request's copy of a session Spring Session found is not saved: the request was not
	 * served, and a save into a store that does not answer would fail the answer.
	 * @param request the request
	 * @param response the response
	 * @param ex the store's failure
	 * @throws IOException on a write failure
	 */
	public void answerUnavailable(HttpServletRequest request, HttpServletResponse response, Exception ex)
			throws IOException {
		logger.warn("The session store did not answer " + request.getMethod() + " " + request.getRequestURI()
				+ "; answered 503: " + ex);
		if (logger.isDebugEnabled()) {
			logger.debug("The session store's failure", ex);
		}
		notServed(request);
		this.authenticationSupport.writeAnswer(request, response, this.responder::unavailable);
	}

	/**
	 * Keep Spring Session from saving the copy of the session of a request that the
	 * starter does not serve: one answered as its store's outage, or whose decision
	 * failed (the failure goes on to the container, which answers it {@code 500}). The
	 * request did nothing with its session, and the copy's last access, saved, would
	 * count the unserved request as the session's activity.
	 * @param request the request
	 */
	public static void notServed(HttpServletRequest request) {
		request.setAttribute(UNSERVED_ATTRIBUTE, Boolean.TRUE);
		dropUnservedSession(request);
	}

	/**
	 * Return whether the starter did not serve a request ({@link #notServed}).
	 * @param request the request
	 * @return {@code true} if the request's session is not to be saved
	 */
	public static boolean isNotServed(HttpServletRequest request) {
		return request.getAttribute(UNSERVED_ATTRIBUTE) != null;
	}

	/**
	 * Keep Spring Session from saving the copy of the session of a request the starter
	 * did not serve ({@link #notServed}), also if something asked the request for its
	 * session again since: called once more on the way out of the request's dispatch.
	 * @param request the request
	 */
	public static void dropUnservedSession(HttpServletRequest request) {
		if (isNotServed(request)) {
			SpringSessionRequests.dropCurrentSession(request);
		}
	}

	/**
	 * Answer a request whose session ended or is unknown. A browser's request is saved,
	 * if it needs an authenticated user and can resume, in a new session, so that the
	 * login resumes it; otherwise the client loses the session cookie, so that its next
	 * request (a script's login, say) starts afresh instead of naming the ended session
	 * again. A browser's load of something a page uses (an image, the page's icon) keeps
	 * the cookie, Spring Session's drop of an invalidated session's cookie included: such
	 * a load can be answered after a navigation of the same browser whose answer set the
	 * cookie of a new session with the saved request, and dropping the cookie then would
	 * lose that session; the browser's next navigation or script request replaces or
	 * drops the cookie anyway.
	 * @param request the request
	 * @param newSessions the request as it creates sessions whose clocks start
	 * @param response the response
	 * @param reason why the session ended
	 * @throws IOException on a write failure
	 */
	public void answerEnded(HttpServletRequest request, HttpServletRequest newSessions, HttpServletResponse response,
			ExpiryReason reason) throws IOException {
		boolean navigation = this.responder.isBrowserNavigation(request);
		if (navigation && this.authenticationSupport.requiresAuthentication(request)) {
			this.authenticationSupport.saveRequest(newSessions, response);
		}
		if (request.getRequestedSessionId() != null && newSessions.getSession(false) == null) {
			if (!navigation && SessionAnswers.isPageResource(request.getHeader("Sec-Fetch-Dest"))) {
				request.setAttribute(KEEP_COOKIE_ATTRIBUTE, Boolean.TRUE);
			}
			else {
				this.cookieWriter.expire(request, response);
			}
		}
		this.authenticationSupport.writeAnswer(request, response,
				(answered, answer) -> this.responder.respond(answered, answer, reason));
	}

	/**
	 * Challenge the user of a request's session to authenticate again, keeping the
	 * session: the challenge is recorded so that only the same user, recently enough
	 * authenticated, meets it, and the request is answered: a browser is sent into the
	 * login flow, which resumes the request afterwards, anything else gets a {@code 401}.
	 * @param request the request
	 * @param response the response
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @throws IOException on a write failure
	 */
	public void challenge(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason,
			Duration maxAge) throws IOException {
		challenge(request, response, reason, maxAge, List.of());
	}

	/**
	 * Challenge the user of a request to authenticate again, naming the authentication
	 * context classes the new authentication must have.
	 * @param request the request
	 * @param response the response
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes it must have, empty for any
	 * @throws IOException on a write failure
	 * @see #challenge(HttpServletRequest, HttpServletResponse, ExpiryReason, Duration)
	 */
	public void challenge(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason,
			Duration maxAge, List<String> acrValues) throws IOException {
		if (this.authenticationSupport.isAuthenticatedByRequest(request)) {
			// A bearer token's refusal is its own: the session sent along neither records
			// it nor sends the browser into its login; the answer is the RFC 9470
			// challenge, whatever the request accepts
			this.authenticationSupport.writeAnswer(request, response,
					(answered, answer) -> this.responder.challengeClient(answered, answer, reason, maxAge, acrValues));
			return;
		}
		HttpSession session = request.getSession(false);
		String loginUrl = null;
		if (session != null && !this.authenticationSupport.isAuthenticatedAsAnotherUser(request, session)) {
			// Another user's session cookie carried along by an authentication of the
			// request's own (HTTP Basic, say) is not challenged for that refusal: the
			// request is answered as one without a session
			this.clocks.recordChallenge(HttpSessionAccess.of(session), reason, maxAge);
			if (this.responder.isBrowserNavigation(request)) {
				loginUrl = this.authenticationSupport.startAuthentication(request, response, session);
			}
		}
		String url = loginUrl;
		this.authenticationSupport.writeAnswer(request, response,
				(answered, answer) -> this.responder.challenge(answered, answer, reason, maxAge, acrValues, url));
	}

	/**
	 * Leave a challenge that the clocks decided for a request to the request's security
	 * filter chain, which answers it after its authorization, so that the requests that
	 * Spring Security handles itself before (a login, its callback, a logout) are never
	 * challenged.
	 * @param request the request
	 * @param decision the challenge
	 * @see #challengePending(HttpServletRequest, HttpServletResponse)
	 */
	public void deferChallenge(HttpServletRequest request, SessionDecision decision) {
		leaveChallenge(request, decision);
	}

	/**
	 * Leave a challenge for a request to its security filter chain, as
	 * {@link #deferChallenge} does: also one decided within that chain, for the rest of a
	 * request whose sign-in leaves its user due to authenticate again.
	 * @param request the request
	 * @param decision the challenge
	 */
	static void leaveChallenge(HttpServletRequest request, SessionDecision decision) {
		request.setAttribute(PENDING_CHALLENGE_ATTRIBUTE, decision);
	}

	/**
	 * Answer with the challenge a request that its session's decision served and whose
	 * path a filter of the application rewrote since to a privileged path, if the session
	 * is not privileged: the path that Spring Security and the handler see is judged as
	 * the decision judges a request of it. A request authenticated otherwise than by its
	 * session (a bearer token, HTTP Basic as another user) is decided by that
	 * authentication, after the authorization.
	 * @param request the request, as the security filter chain sees it
	 * @param response the response
	 * @param clocks the session clocks of servlet requests
	 * @return {@code true} if the request was answered with a challenge
	 * @throws IOException on a write failure
	 */
	public boolean challengeRewrittenPath(HttpServletRequest request, HttpServletResponse response,
			ServletSessionClocks clocks) throws IOException {
		ServletSessionClocks.DecidedPath decided = clocks.rewrittenToPrivilegedPath(request);
		if (decided == null || this.authenticationSupport.isAuthenticatedByRequest(request)) {
			return false;
		}
		HttpSession session = request.getSession(false);
		if (session != null && this.authenticationSupport.isAuthenticatedAsAnotherUser(request, session)) {
			return false;
		}
		SessionDecision challenge = clocks.decidePrivilegedPathAgain(request, response, decided);
		ExpiryReason reason = (challenge != null) ? challenge.reason() : null;
		Duration maxAge = (challenge != null) ? challenge.maxAge() : null;
		if (reason == null || maxAge == null) {
			return false;
		}
		challenge(request, response, reason, maxAge);
		return true;
	}

	/**
	 * Answer the challenge left for a request, if any.
	 * @param request the request
	 * @param response the response
	 * @return {@code true} if the request was answered with a challenge
	 * @throws IOException on a write failure
	 * @see #deferChallenge(HttpServletRequest, SessionDecision)
	 */
	public boolean challengePending(HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!(request.getAttribute(PENDING_CHALLENGE_ATTRIBUTE) instanceof SessionDecision decision)
				|| decision.reason() == null || decision.maxAge() == null) {
			return false;
		}
		request.removeAttribute(PENDING_CHALLENGE_ATTRIBUTE);
		if (this.authenticationSupport.isAuthenticatedByRequest(request)) {
			// The session sent along with a bearer token decides neither its privileged
			// paths nor whether its user must sign in again: the token does, after the
			// authorization
			return false;
		}
		HttpSession session = request.getSession(false);
		if (session != null && this.authenticationSupport.isAuthenticatedAsAnotherUser(request, session)) {
			// Nor does the session of another user that an authentication of the
			// request's own (HTTP Basic, say) carries along: that authentication is
			// decided by itself, its privileged paths after the authorization
			return false;
		}
		challenge(request, response, decision.reason(), decision.maxAge());
		return true;
	}

}
