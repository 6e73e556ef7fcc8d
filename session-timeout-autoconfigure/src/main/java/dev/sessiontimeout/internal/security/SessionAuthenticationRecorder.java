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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings.FittedPolicy;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Records every successful interactive authentication (form login, remember-me,
 * {@code oauth2Login()}, a step-up) in the session of its request: when the user
 * authenticated, and the policy the session follows from then on, resolved from the
 * configured policies and adjusted by the application's {@link SessionPolicyOverride}.
 * Only an authentication that the session now holds counts: a login that another user's
 * session merely carried along (a stateless login endpoint) changes nothing.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionAuthenticationRecorder implements ApplicationListener<InteractiveAuthenticationSuccessEvent> {

	private static final Log logger = LogFactory.getLog(SessionAuthenticationRecorder.class);

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final SessionTimeoutSettings settings;

	private final ServletSessionClocks clocks;

	private final List<LoginFlow> loginFlows;

	private final List<SessionPolicyOverride> overrides;

	/**
	 * Create a new recorder.
	 * @param settings the effective configuration
	 * @param clocks the session clocks of servlet requests
	 * @param loginFlows the login flows that know when their users authenticated
	 * @param overrides the application's per-session policy overrides, applied in order
	 */
	public SessionAuthenticationRecorder(SessionTimeoutSettings settings, ServletSessionClocks clocks,
			List<LoginFlow> loginFlows, List<SessionPolicyOverride> overrides) {
		this.settings = settings;
		this.clocks = clocks;
		this.loginFlows = List.copyOf(loginFlows);
		this.overrides = List.copyOf(overrides);
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
		if (!authentication.getName()
			.equals(SecurityContextPrincipalResolver
				.nameOf(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)))) {
			return;
		}
		this.clocks.recordAuthentication(request, attributes.getResponse(), session,
				reportedAuthenticatedAt(authentication), policy(authentication, request, session));
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
	 * Return whether an authentication tells when its user authenticated.
	 * @param authentication the authentication
	 * @return {@code true} if the authentication time is known
	 * @see LoginFlow#knowsAuthenticationTime(Authentication)
	 */
	boolean knowsAuthenticationTime(Authentication authentication) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		return flow == null || flow.knowsAuthenticationTime(authentication);
	}

	private SessionTimeoutPolicy policy(Authentication authentication, HttpServletRequest request,
			HttpSession session) {
		List<String> authorities = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.toList();
		SessionTimeoutPolicy policy = this.settings.policyFor(authorities,
				this.trustResolver.isRememberMe(authentication));
		for (SessionPolicyOverride override : this.overrides) {
			SessionTimeoutPolicy overridden = override.override(policy, authentication, request);
			if (overridden != null && !overridden.equals(policy)) {
				FittedPolicy fitted = this.settings.fit(overridden);
				if (!fitted.changes().isEmpty()) {
					logger.warn("Policy " + overridden.name() + " of session " + SessionIds.hash(session.getId())
							+ " from " + override.getClass().getName() + " did not fit: " + fitted.changes());
				}
				policy = fitted.policy();
			}
		}
		return policy;
	}

}
