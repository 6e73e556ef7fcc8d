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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Turns a {@link dev.sessiontimeout.RequiresPrivilegedSession denied privileged
 * operation} into a step-up, before any other exception handling can turn it into a plain
 * {@code 403} (spring-security#18709): a browser goes into the login flow and comes back
 * afterwards, anything else gets a {@code 401} with an RFC 9470 challenge.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see dev.sessiontimeout.RequiresPrivilegedSession
 */
public class PrivilegedSessionExceptionResolver implements HandlerExceptionResolver, Ordered {

	private static final AuthenticationTrustResolver TRUST_RESOLVER = new AuthenticationTrustResolverImpl();

	private final ServletSessionAnswers answers;

	/**
	 * Create a new resolver.
	 * @param answers answers requests whose user must authenticate again
	 */
	public PrivilegedSessionExceptionResolver(ServletSessionAnswers answers) {
		this.answers = answers;
	}

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		try {
			if (ServletSessionClocks.isPrivilegedDecisionUnanswered(request, ex) && !response.isCommitted()) {
				// The store did not answer the claim of the privilege grant, or the look
				// at the session of an operation on another thread: the store's outage,
				// before any other handling turns it into a 500
				response.resetBuffer();
				this.answers.answerUnavailable(request, response, ex);
				return new ModelAndView();
			}
			if (answerReauthentication(this.answers, request, response, ex)) {
				return new ModelAndView();
			}
		}
		catch (IOException failure) {
			return null;
		}
		PrivilegedSessionDecision decision = decisionOf(ex);
		if (decision == null || response.isCommitted()) {
			return null;
		}
		try {
			this.answers.challenge(request, response, ExpiryReason.PRIVILEGED, decision.getMaxAge(),
					decision.getAcrValues());
			return new ModelAndView();
		}
		catch (IOException failure) {
			return null;
		}
	}

	/**
	 * Answer a request that runs unauthenticated because its user must authenticate
	 * again, and that something in it refused for want of an authenticated (or recent
	 * enough) user, with the re-authentication challenge.
	 * @param answers the answers
	 * @param request the request
	 * @param response the response
	 * @param ex what refused the request
	 * @return {@code true} if the request was answered
	 * @throws IOException on a write failure
	 */
	static boolean answerReauthentication(ServletSessionAnswers answers, HttpServletRequest request,
			HttpServletResponse response, Throwable ex) throws IOException {
		Duration reauthentication = ServletSessionClocks.reauthenticationPending(request);
		if (reauthentication == null || response.isCommitted() || !isAuthenticationDenial(ex)
				|| isAuthenticatedOtherwise()) {
			return false;
		}
		response.resetBuffer();
		ServletSessionClocks.withdrawActivity(request, response);
		answers.challenge(request, response, ExpiryReason.REAUTHENTICATION, reauthentication);
		return true;
	}

	/**
	 * Return whether the request was authenticated by other means than its session (HTTP
	 * Basic, a bearer token), whose denial is the application's own answer.
	 */
	private static boolean isAuthenticatedOtherwise() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		return authentication != null && authentication.isAuthenticated()
				&& !TRUST_RESOLVER.isAnonymous(authentication);
	}

	private static boolean isAuthenticationDenial(@Nullable Throwable ex) {
		while (ex != null) {
			if (ex instanceof AccessDeniedException || ex instanceof AuthenticationException) {
				return true;
			}
			ex = ex.getCause();
		}
		return false;
	}

	/**
	 * Return the decision behind a denied privileged operation.
	 * @param ex an exception
	 * @return the decision, or {@code null} if the exception is not a denied privileged
	 * operation
	 */
	public static @Nullable PrivilegedSessionDecision decisionOf(@Nullable Throwable ex) {
		while (ex != null) {
			if (ex instanceof AuthorizationDeniedException denied
					&& denied.getAuthorizationResult() instanceof PrivilegedSessionDecision decision) {
				return decision;
			}
			ex = ex.getCause();
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
