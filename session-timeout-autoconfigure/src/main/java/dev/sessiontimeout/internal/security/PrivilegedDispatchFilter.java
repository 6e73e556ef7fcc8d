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
import java.time.Duration;
import java.util.function.Supplier;
import java.util.List;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.util.Assert;
import org.springframework.web.filter.GenericFilterBean;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Checks the forwards, includes, error dispatches and asynchronous dispatches to another
 * path ({@code AsyncContext.dispatch(path)}) of a request: one that reaches a privileged
 * path ({@code session-timeout.privileged.paths}) from an ordinary one is challenged
 * unless the session is privileged, as a request of that path would be, and never serves
 * the privileged content. An asynchronous dispatch back to the request's own path (a
 * deferred result, say) is let through at the cost of one string comparison: its path was
 * decided at the request's start. A forward, error or asynchronous dispatch is answered
 * at once; an include, which cannot set the status, is denied the way a
 * {@code @RequiresPrivilegedSession} method is, so that
 * {@link PrivilegedSessionExceptionResolver} inside Spring MVC, or
 * {@link SessionChallengeFilter} after Spring Security's authorization, answers the
 * including request with the challenge (the container logs the denied include at ERROR).
 * A store that does not answer the decision (the claim of a privilege grant) gets a
 * forward, error or asynchronous dispatch the {@code 503} of its outage at once; an
 * include fails the including request, which is answered so too.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class PrivilegedDispatchFilter extends GenericFilterBean {

	/**
	 * The dispatches this filter checks; the request's own dispatch is the
	 * {@code SessionTimeoutFilter}'s.
	 */
	public static final DispatcherType[] DISPATCHER_TYPES = { DispatcherType.FORWARD, DispatcherType.INCLUDE,
			DispatcherType.ERROR, DispatcherType.ASYNC };

	private final ServletSessionClocks clocks;

	private final ServletSessionAnswers answers;

	private final Supplier<List<LoginFlow>> loginFlows;

	private final Supplier<@Nullable RoleHierarchy> roleHierarchy;

	/**
	 * Create a new filter.
	 * @param clocks the session clocks of servlet requests
	 * @param answers answers a forward or error dispatch with the challenge
	 */
	public PrivilegedDispatchFilter(ServletSessionClocks clocks, ServletSessionAnswers answers) {
		this(clocks, answers, List::of);
	}

	/**
	 * Create a new filter that also decides for requests whose own authentication, not
	 * their session, tells whether they are privileged (a bearer token, say).
	 * @param clocks the session clocks of servlet requests
	 * @param answers answers a forward or error dispatch with the challenge
	 * @param loginFlows supplies the login flows
	 */
	public PrivilegedDispatchFilter(ServletSessionClocks clocks, ServletSessionAnswers answers,
			Supplier<List<LoginFlow>> loginFlows) {
		this(clocks, answers, loginFlows, () -> null);
	}

	/**
	 * Create a new filter that also decides for requests whose own authentication, not
	 * their session, tells whether they are privileged (a bearer token, say), by the
	 * policy that its authorities choose with those the role hierarchy makes reachable.
	 * @param clocks the session clocks of servlet requests
	 * @param answers answers a forward or error dispatch with the challenge
	 * @param loginFlows supplies the login flows
	 * @param roleHierarchy supplies the application's role hierarchy, or {@code null} if
	 * it has none
	 */
	public PrivilegedDispatchFilter(ServletSessionClocks clocks, ServletSessionAnswers answers,
			Supplier<List<LoginFlow>> loginFlows, Supplier<@Nullable RoleHierarchy> roleHierarchy) {
		Assert.notNull(clocks, "'clocks' must not be null");
		Assert.notNull(answers, "'answers' must not be null");
		this.clocks = clocks;
		this.answers = answers;
		this.loginFlows = loginFlows;
		this.roleHierarchy = roleHierarchy;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest http && http.getDispatcherType() != DispatcherType.REQUEST
				&& !isAsyncDispatchToItsOwnPath(http) && this.clocks.isPrivilegedPath(http)) {
			boolean privileged;
			try {
				privileged = decide(http, response);
			}
			catch (RuntimeException ex) {
				if (!answeredUnavailable(http, response, ex)) {
					throw ex;
				}
				return;
			}
			if (!privileged) {
				return;
			}
		}
		chain.doFilter(request, response);
	}

	/**
	 * Return whether a request is in an asynchronous dispatch back to its own path (a
	 * deferred result, a {@code Callable}, a streamed body,
	 * {@code AsyncContext.dispatch()} of the request as it came), whose path was decided
	 * at the request's start. The container tells the request's own URI in the
	 * {@link AsyncContext#ASYNC_REQUEST_URI} attribute of every asynchronous dispatch;
	 * one without it has no other path to go to.
	 */
	private static boolean isAsyncDispatchToItsOwnPath(HttpServletRequest request) {
		if (request.getDispatcherType() != DispatcherType.ASYNC) {
			return false;
		}
		Object own = request.getAttribute(AsyncContext.ASYNC_REQUEST_URI);
		return own == null || own.equals(request.getRequestURI());
	}

	/**
	 * Return the authentication of a request in a dispatch: the one Spring Security's
	 * filter chain holds for a forward or include, else, in an asynchronous dispatch,
	 * which runs before Spring Security's filter chain, the one its filters kept in the
	 * request (a bearer token's, say), if any: a session's user is found in the session.
	 */
	private static @Nullable Authentication authenticationOf(HttpServletRequest request) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null && request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(
				RequestAttributeSecurityContextRepository.DEFAULT_REQUEST_ATTR_NAME) instanceof SecurityContext context) {
			return context.getAuthentication();
		}
		return authentication;
	}

	/**
	 * Decide a dispatch of a privileged path, refusing it if it is not privileged.
	 * @return whether the dispatch may proceed
	 */
	private boolean decide(HttpServletRequest http, ServletResponse response) throws IOException {
		TokenPrivileges.Decision own = PathPrivileges.decide(this.clocks, this.loginFlows.get(),
				this.roleHierarchy.get(), http, authenticationOf(http));
		if (own != null) {
			if (!own.granted()) {
				refuse(http, response, own.maxAge(), own.acrValues());
				return false;
			}
			return true;
		}
		HttpSession session = http.getSession(false);
		if (session != null) {
			Duration maxAge = this.clocks.privilegedMaxAge(session);
			if (!this.clocks.isPrivileged(http, session, maxAge)) {
				refuse(http, response, (maxAge != null) ? maxAge : Duration.ZERO, List.of());
				return false;
			}
		}
		return true;
	}

	/**
	 * Answer a forward or error dispatch whose store did not answer the decision (the
	 * claim of a privilege grant) as the store's outage, as a request of the path would
	 * be: an error dispatch's failure would otherwise leave the container's own error
	 * page. An include, and a response already committed, fail the including request
	 * instead, which its {@code SessionTimeoutFilter} answers as the outage.
	 * @return whether the dispatch was answered
	 */
	private boolean answeredUnavailable(HttpServletRequest request, ServletResponse response, RuntimeException ex)
			throws IOException {
		if (request.getDispatcherType() == DispatcherType.INCLUDE || response.isCommitted()
				|| !StoreFailures.isUnavailable(ex)) {
			return false;
		}
		response.resetBuffer();
		this.answers.answerUnavailable(request, (HttpServletResponse) response, ex);
		return true;
	}

	private void refuse(HttpServletRequest request, ServletResponse response, Duration maxAge, List<String> acrValues)
			throws IOException {
		if (request.getDispatcherType() != DispatcherType.INCLUDE && !response.isCommitted()) {
			// A forward, error or asynchronous dispatch answers the whole response
			response.resetBuffer();
			this.answers.challenge(request, (HttpServletResponse) response, ExpiryReason.PRIVILEGED, maxAge, acrValues);
			return;
		}
		// An include cannot set a status: fail the including request instead
		throw new AuthorizationDeniedException("A privileged path was included without a privileged session",
				new PrivilegedSessionDecision(false, FactorGrantedAuthority.PASSWORD_AUTHORITY, maxAge, acrValues));
	}

}
