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

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionRequest;

/**
 * A servlet request as the session clocks' decisions see it.
 *
 * @author session-timeout
 */
final class ServletSessionRequest implements SessionRequest {

	private static final String PRIVILEGE_GRANT_USED_ATTRIBUTE = SessionAttributes.PREFIX + "privilegeGrantUsed";

	/**
	 * The request attribute that tells that the session's decision left the claim of its
	 * privilege grant to the request's security filter chain.
	 */
	static final String DEFERRED_GRANT_CLAIM_ATTRIBUTE = SessionAttributes.PREFIX + "deferredGrantClaim";

	private final HttpServletRequest request;

	private final HttpSession session;

	private final SessionAuthenticationSupport authenticationSupport;

	private final PassiveRequestMatcher passiveRequests;

	private final PathPatterns privilegedPaths;

	private final boolean exempt;

	private final @Nullable DecidedSession decided;

	ServletSessionRequest(HttpServletRequest request, HttpSession session,
			SessionAuthenticationSupport authenticationSupport, PassiveRequestMatcher passiveRequests,
			PathPatterns privilegedPaths, boolean exempt) {
		this(request, session, null, authenticationSupport, passiveRequests, privilegedPaths, exempt);
	}

	/**
	 * Create a new instance for a decision that reads the session through a
	 * {@link DecidedSession}: what it read of the session's authentication tells whether
	 * the session's user is authenticated, without reading it again.
	 */
	ServletSessionRequest(HttpServletRequest request, HttpSession session, @Nullable DecidedSession decided,
			SessionAuthenticationSupport authenticationSupport, PassiveRequestMatcher passiveRequests,
			PathPatterns privilegedPaths, boolean exempt) {
		this.request = request;
		this.session = session;
		this.decided = decided;
		this.authenticationSupport = authenticationSupport;
		this.passiveRequests = passiveRequests;
		this.privilegedPaths = privilegedPaths;
		this.exempt = exempt;
	}

	@Override
	public boolean isPassive() {
		return this.passiveRequests.isPassive(this.request);
	}

	@Override
	public boolean isExempt() {
		return this.exempt;
	}

	@Override
	public boolean isAuthenticated() {
		return ServletSessionClocks.isAuthenticated(this.authenticationSupport, this.session, this.decided);
	}

	@Override
	public boolean mayBePrivileged() {
		return this.authenticationSupport.mayBePrivileged(this.session);
	}

	@Override
	public boolean requiresAuthentication() {
		return this.authenticationSupport.requiresAuthentication(this.request);
	}

	@Override
	public boolean isPrivilegedPath() {
		return this.privilegedPaths.matches(this.request);
	}

	@Override
	public boolean carriesBearerToken() {
		return SessionRequest.carriesBearerToken(this.request.getHeader(HttpHeaders.AUTHORIZATION),
				this.request.getQueryString());
	}

	@Override
	public @Nullable SessionTimeoutPolicy authenticatedPolicy() {
		return this.authenticationSupport.policyOf(this.request, this.session);
	}

	@Override
	public boolean hasUsedPrivilegeGrant() {
		return this.request.getAttribute(PRIVILEGE_GRANT_USED_ATTRIBUTE) != null;
	}

	@Override
	public void usePrivilegeGrant() {
		this.request.setAttribute(PRIVILEGE_GRANT_USED_ATTRIBUTE, Boolean.TRUE);
	}

	@Override
	public boolean defersPrivilegeGrantClaim() {
		// Only the decision of the request's own dispatch, and only where its security
		// filter chain claims it (SessionChallengeFilter) before any handler runs
		if (this.decided == null || this.request.getDispatcherType() != DispatcherType.REQUEST
				|| !this.authenticationSupport.answersChallenges(this.request)) {
			return false;
		}
		this.request.setAttribute(DEFERRED_GRANT_CLAIM_ATTRIBUTE, Boolean.TRUE);
		return true;
	}

}
