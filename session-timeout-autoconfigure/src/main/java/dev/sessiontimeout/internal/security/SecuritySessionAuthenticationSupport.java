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

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.ServletException;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.savedrequest.RequestCache;

import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.web.SessionAuthenticationSupport;

/**
 * Spring Security's view of a session: the authentication in its {@link SecurityContext},
 * the application's access rules through the {@link WebInvocationPrivilegeEvaluator}, and
 * its {@link RequestCache}, which resumes a request after the login.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SecuritySessionAuthenticationSupport implements SessionAuthenticationSupport {

	private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("session-timeout", "anonymousUser",
			AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

	private static final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final Supplier<@Nullable WebInvocationPrivilegeEvaluator> privilegeEvaluator;

	private final RequestCache requestCache;

	private final List<LoginFlow> loginFlows;

	private final Supplier<@Nullable FilterChainProxy> filterChainProxy;

	private final AuthenticationPolicies policies;

	/**
	 * Create a new instance.
	 * @param privilegeEvaluator supplies the application's access rules, {@code null} to
	 * treat every request as needing authentication
	 * @param requestCache keeps a request for after the login
	 * @param loginFlows the login flows that know their authentications
	 * @param filterChainProxy supplies Spring Security's filter chains, to tell whether a
	 * request's chain answers challenges
	 * @param policies resolves the policy of a session from its authentication
	 */
	public SecuritySessionAuthenticationSupport(Supplier<@Nullable WebInvocationPrivilegeEvaluator> privilegeEvaluator,
			RequestCache requestCache, List<LoginFlow> loginFlows,
			Supplier<@Nullable FilterChainProxy> filterChainProxy, AuthenticationPolicies policies) {
		this.privilegeEvaluator = privilegeEvaluator;
		this.requestCache = requestCache;
		this.loginFlows = List.copyOf(loginFlows);
		this.filterChainProxy = filterChainProxy;
		this.policies = policies;
	}

	@Override
	public boolean answersChallenges(HttpServletRequest request) {
		return filterOf(request, SessionChallengeFilter.class) != null;
	}

	@Override
	public boolean isAuthenticatedByRequest(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()) {
			return false;
		}
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		return flow != null && flow.authenticatesEachRequest();
	}

	@Override
	public boolean isAuthenticatedAsAnotherUser(HttpServletRequest request, HttpSession session) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated() || trustResolver.isAnonymous(authentication)) {
			return false;
		}
		try {
			return !holdsUserOf(session, authentication);
		}
		catch (IllegalStateException ex) {
			// A container session that a concurrent request invalidated: it is nobody's
			return true;
		}
	}

	@Override
	public void writeAnswer(HttpServletRequest request, HttpServletResponse response, Answer answer)
			throws IOException {
		HeaderWriterFilter headers = filterOf(request, HeaderWriterFilter.class);
		if (headers == null) {
			answer.write(request, response);
			return;
		}
		try {
			headers.doFilter(request, response, (answered, answering) -> answer.write((HttpServletRequest) answered,
					(HttpServletResponse) answering));
		}
		catch (ServletException ex) {
			throw new IOException(ex);
		}
	}

	/**
	 * Return the filter of a type in the security filter chain of a request.
	 */
	private <F extends Filter> @Nullable F filterOf(HttpServletRequest request, Class<F> type) {
		FilterChainProxy proxy = this.filterChainProxy.get();
		if (proxy == null) {
			return null;
		}
		for (SecurityFilterChain chain : proxy.getFilterChains()) {
			if (chain.matches(request)) {
				return chain.getFilters().stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
			}
		}
		return null;
	}

	@Override
	public boolean isAuthenticated(HttpSession session) {
		return authentication(session) != null;
	}

	@Override
	public boolean isAuthenticated(HttpSession session, @Nullable Object authentication) {
		return authenticationIn(authentication) != null;
	}

	@Override
	public boolean mayBePrivileged(HttpSession session) {
		return mayBePrivilegedBy(
				session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY));
	}

	@Override
	public boolean mayBePrivilegedBy(@Nullable Object authentication) {
		Authentication found = authenticationIn(authentication);
		return AuthenticationFactors.provedAFactor(found)
				&& AuthenticationFactors.knowsAuthenticationTime(this.loginFlows, found);
	}

	@Override
	public boolean requiresAuthentication(HttpServletRequest request) {
		for (LoginFlow flow : this.loginFlows) {
			if (flow.isLoginRequest(request)) {
				return false;
			}
		}
		WebInvocationPrivilegeEvaluator evaluator = this.privilegeEvaluator.get();
		if (evaluator == null) {
			return true;
		}
		return !evaluator.isAllowed(request.getContextPath(), PathPatterns.pathWithinContext(request),
				request.getMethod(), ANONYMOUS);
	}

	@Override
	public @Nullable String startAuthentication(HttpServletRequest request, HttpServletResponse response,
			HttpSession session) {
		saveRequest(request, response);
		Authentication authentication = authentication(HttpSessionAccess.of(session).session());
		LoginFlow flow = (authentication != null) ? LoginFlow.of(this.loginFlows, authentication) : null;
		return (flow != null) ? flow.loginUrl(authentication) : null;
	}

	/**
	 * Return whether a session holds the user of an authentication: a security context
	 * whose authentication has the same name.
	 * @param session the session
	 * @param authentication the authentication
	 * @return {@code true} if the session is that user's
	 */
	static boolean holdsUserOf(HttpSession session, Authentication authentication) {
		return authentication.getName()
			.equals(SecurityContextPrincipalResolver
				.nameOf(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)));
	}

	@Override
	public @Nullable Object authenticationOf(HttpSession session) {
		return authentication(session);
	}

	@Override
	public @Nullable Object authenticationOf(HttpSession session, @Nullable Object authentication) {
		return authenticationIn(authentication);
	}

	@Override
	public String authenticationAttribute() {
		return HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY;
	}

	@Override
	public @Nullable SessionTimeoutPolicy policyOf(HttpServletRequest request, HttpSession session) {
		Authentication authentication = authentication(session);
		return (authentication != null)
				? this.policies.policyOf(authentication, request, SessionIds.hash(session.getId())) : null;
	}

	@Override
	public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
		if ("GET".equals(request.getMethod())) {
			this.requestCache.saveRequest(request, response);
		}
	}

	private @Nullable Authentication authentication(HttpSession session) {
		return authenticationIn(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY));
	}

	/**
	 * Return the authenticated, non-anonymous authentication of a value of the session's
	 * security context attribute.
	 */
	private static @Nullable Authentication authenticationIn(@Nullable Object context) {
		if (context instanceof SecurityContext securityContext) {
			Authentication authentication = securityContext.getAuthentication();
			if (authentication != null && authentication.isAuthenticated()
					&& !trustResolver.isAnonymous(authentication)) {
				return authentication;
			}
		}
		return null;
	}

}
