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
package dev.sessiontimeout.internal.security;

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;

import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * What the session clocks ask of a login before Spring Security signs the session in with
 * it, rotates its id or remembers the login, since Spring Security runs session
 * authentication strategies first: it refuses an authentication that would not meet the
 * session's pending challenge to authenticate again, then asks the application's
 * {@link dev.sessiontimeout.SessionPolicyOverride}s for the policy of the login's
 * session.
 * <p>
 * A refused authentication is one of a different user (factors of two users must never
 * mix, spring-security#18112), one that proves no factor (Spring Security's remember-me,
 * which signs in the user whom a due re-authentication hides from the request: the
 * request goes on without its user, still challenged, and Spring Security cancels the
 * remember-me cookie), or one that is itself too old, such as an OpenID Connect ID token
 * whose {@code auth_time} predates the required age. The login fails as with a wrong
 * password, and the session stays as it was. It fails with a
 * {@link SessionAuthenticationException}, which applications tell apart from a wrong
 * password; a session stored as JSON must allow that type in its Jackson type validator,
 * since Spring Security's Jackson modules do not.
 * <p>
 * The policy is kept in the request for the login's success event (see
 * {@link SessionAuthenticationRecorder#resolvePolicyBeforeLogin}): an override that fails
 * fails the login (a 500) with nothing of it remembered.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutAuthenticationStrategy implements SessionAuthenticationStrategy {

	private final ServletSessionClocks clocks;

	private final SessionAuthenticationRecorder recorder;

	/**
	 * Create a new strategy.
	 * @param clocks the session clocks of servlet requests
	 * @param recorder tells when the user of an authentication authenticated
	 */
	public SessionTimeoutAuthenticationStrategy(ServletSessionClocks clocks, SessionAuthenticationRecorder recorder) {
		this.clocks = clocks;
		this.recorder = recorder;
	}

	@Override
	public void onAuthentication(Authentication authentication, HttpServletRequest request,
			HttpServletResponse response) throws SessionAuthenticationException {
		if (this.recorder.authenticatesEachRequest(authentication)) {
			// A bearer token sent along with a session cookie does not sign in to the
			// session: the session's challenge is not its to meet
			return;
		}
		HttpSession session = request.getSession(false);
		if (session != null) {
			refuseUnmetChallenge(authentication, session);
		}
		// Before Spring Security signs the session in or remembers the login: a failing
		// override fails the login with nothing of it remembered
		this.recorder.resolvePolicyBeforeLogin(authentication, request);
	}

	private void refuseUnmetChallenge(Authentication authentication, HttpSession session) {
		Instant now = this.clocks.now();
		PendingChallenge challenge = this.clocks.challengeToMeet(session, now);
		if (challenge == null) {
			return;
		}
		// The user the session holds, also while the request runs without that user
		// (a due re-authentication): the login must be of that user, not only of one
		// with the same name
		Object stored = HttpSessionAccess.of(session)
			.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		Authentication previous = (stored instanceof SecurityContext context) ? context.getAuthentication() : null;
		String refusal = refusal(challenge, authentication,
				previous == null || this.recorder.isSameUser(previous, authentication),
				this.recorder.knowsAuthenticationTime(authentication),
				this.recorder.reportedAuthenticatedAt(authentication), now);
		if (refusal != null) {
			throw new SessionAuthenticationException(refusal);
		}
	}

	/**
	 * Return why an authentication does not meet a challenge to authenticate again.
	 * @param challenge the challenge
	 * @param authentication the authentication
	 * @param sameUser whether the login flow takes the authentication for the same user
	 * as the one the session held (an OpenID Connect user: the same issuer and subject)
	 * @param knowsAuthenticationTime whether the authentication tells when its user
	 * authenticated
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it, or {@code null} for now
	 * @param now the current instant
	 * @return why, or {@code null} if the authentication meets the challenge
	 */
	static @Nullable String refusal(PendingChallenge challenge, Authentication authentication, boolean sameUser,
			boolean knowsAuthenticationTime, @Nullable Instant reportedAuthenticatedAt, Instant now) {
		if (!sameUser || !challenge.isFor(authentication.getName(),
				SecurityContextPrincipalResolver.providerOf(authentication))) {
			return "This session belongs to another user, who must authenticate again; sign out to sign in as someone else";
		}
		if (!AuthenticationFactors.provedAFactor(authentication)) {
			// Spring Security's remember-me signs in the user whom a due
			// re-authentication hides from the request: a cookie is no authentication
			// again
			return "A remember-me authentication proves no factor: it does not meet a challenge to authenticate again";
		}
		if (!knowsAuthenticationTime) {
			return "The authentication does not tell when the user authenticated: a plain OAuth 2.0 login,"
					+ " or an ID token without auth_time";
		}
		Instant authenticatedAt = (reportedAuthenticatedAt != null) ? reportedAuthenticatedAt : now;
		if (SessionTimeline.isFromTheFuture(authenticatedAt, now)) {
			return "The authentication at " + authenticatedAt
					+ " lies in the future: it proves no recent authentication";
		}
		if (!challenge.isMetBy(authenticatedAt, now)) {
			return "The authentication at " + authenticatedAt + " is older than the required "
					+ challenge.maxAge().toSeconds() + "s";
		}
		return null;
	}

}
