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
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Records every successful interactive authentication (form login, remember-me,
 * {@code oauth2Login()}, a step-up) in the session of its request: when the user
 * authenticated, and the policy the session follows from then on, resolved from the
 * configured policies and adjusted by the application's {@link SessionPolicyOverride}. A
 * remember-me login proves no factor: it is no authentication of the user, and records no
 * authentication time (never privileged; with a re-authentication lifetime its user must
 * authenticate again at once, the rest of its request included). Only an authentication
 * that the session now holds counts: a login that another user's session merely carried
 * along (a stateless login endpoint) changes nothing.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionAuthenticationRecorder implements ApplicationListener<InteractiveAuthenticationSuccessEvent> {

	private static final String RESOLVED_POLICY_ATTRIBUTE = SessionAuthenticationRecorder.class.getName()
			+ ".RESOLVED_POLICY";

	private final ServletSessionClocks clocks;

	private final List<LoginFlow> loginFlows;

	private final AuthenticationPolicies policies;

	/**
	 * Create a new recorder.
	 * @param clocks the session clocks of servlet requests
	 * @param loginFlows the login flows that know when their users authenticated
	 * @param policies resolves the policy of an authentication's session
	 */
	public SessionAuthenticationRecorder(ServletSessionClocks clocks, List<LoginFlow> loginFlows,
			AuthenticationPolicies policies) {
		this.clocks = clocks;
		this.loginFlows = List.copyOf(loginFlows);
		this.policies = policies;
	}

	@Override
	public void onApplicationEvent(InteractiveAuthenticationSuccessEvent event) {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return;
		}
		HttpServletRequest request = attributes.getRequest();
		HttpSession session = request.getSession(false);
		if (session == null) {
			return;
		}
		Authentication authentication = event.getAuthentication();
		if (!SecuritySessionAuthenticationSupport.holdsUserOf(session, authentication)) {
			return;
		}
		SessionState state;
		try {
			SessionTimeoutPolicy policy = (request
				.getAttribute(RESOLVED_POLICY_ATTRIBUTE) instanceof ResolvedPolicy resolved
					&& resolved.authentication() == authentication) ? resolved.policy()
							: this.policies.policyOf(authentication, request, SessionIds.hash(session.getId()));
			request.removeAttribute(RESOLVED_POLICY_ATTRIBUTE);
			// A remember-me login proves no factor: it is no authentication of the
			// user, so it records no authentication time
			state = this.clocks.recordAuthentication(request, attributes.getResponse(), session,
					reportedAuthenticatedAt(authentication), AuthenticationFactors.provedAFactor(authentication),
					policy);
		}
		catch (RuntimeException ex) {
			// Spring Security saved the login into the session before it announced it: a
			// login whose policy or clocks could not be recorded (its policy override, if
			// no session authentication strategy asked it first, or the index of each
			// user's sessions failed) must not stay signed in
			invalidate(session, ex);
			throw ex;
		}
		this.clocks.authenticated(session, authentication, state);
	}

	/**
	 * Resolve the policy of the session of an authentication, asking the application's
	 * {@link SessionPolicyOverride}s, before Spring Security signs the session in with it
	 * or remembers the login (remember-me): called by the session authentication strategy
	 * of a login, so that an override that fails fails the login before anything is
	 * remembered of it. The policy is kept in the request for the login's success event.
	 * An override that fails invalidates the session, which the login no longer signs in.
	 * @param authentication the authentication
	 * @param request the request of the login
	 * @throws RuntimeException what the override threw, or why its answer is refused
	 */
	void resolvePolicyBeforeLogin(Authentication authentication, HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		SessionTimeoutPolicy policy;
		try {
			// The log names the session by its id from before the login changes it
			policy = this.policies.policyOf(authentication, request,
					(session != null) ? SessionIds.hash(session.getId()) : "(none yet)");
		}
		catch (RuntimeException ex) {
			if (session != null) {
				invalidate(session, ex);
			}
			throw ex;
		}
		request.setAttribute(RESOLVED_POLICY_ATTRIBUTE, new ResolvedPolicy(authentication, policy));
	}

	private static void invalidate(HttpSession session, RuntimeException ex) {
		try {
			session.invalidate();
		}
		catch (RuntimeException invalidation) {
			ex.addSuppressed(invalidation);
		}
	}

	/**
	 * Return when the user of an authentication authenticated, as its login flow reports
	 * it.
	 * @param authentication the authentication
	 * @return the authentication time, or {@code null} if it took place now
	 */
	@Nullable Instant reportedAuthenticatedAt(Authentication authentication) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		return (flow != null) ? flow.authenticatedAt(authentication) : null;
	}

	/**
	 * Return whether an authentication comes with each request, as a bearer token does,
	 * rather than signing in to the session.
	 * @param authentication the authentication
	 * @return {@code true} if the authentication comes with each request
	 * @see LoginFlow#authenticatesEachRequest()
	 */
	boolean authenticatesEachRequest(Authentication authentication) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		return flow != null && flow.authenticatesEachRequest();
	}

	/**
	 * Return whether an authentication is of the same user as the one a session held, as
	 * its login flow identifies users.
	 * @param previous the authentication the session held
	 * @param authentication the new authentication
	 * @return {@code true} unless the flow tells the two users apart
	 * @see LoginFlow#isSameUser(Iterable, Authentication, Authentication)
	 */
	boolean isSameUser(Authentication previous, Authentication authentication) {
		return LoginFlow.isSameUser(this.loginFlows, previous, authentication);
	}

	/**
	 * Return whether an authentication tells when its user authenticated.
	 * @param authentication the authentication
	 * @return {@code true} if the authentication time is known
	 * @see LoginFlow#knowsAuthenticationTime(Authentication)
	 */
	boolean knowsAuthenticationTime(Authentication authentication) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		return flow == null || flow.knowsAuthenticationTime(authentication);
	}

	/**
	 * The policy resolved for an authentication before its login completed.
	 *
	 * @param authentication the authentication
	 * @param policy its session's policy
	 */
	private record ResolvedPolicy(Authentication authentication, SessionTimeoutPolicy policy) {

	}

}
