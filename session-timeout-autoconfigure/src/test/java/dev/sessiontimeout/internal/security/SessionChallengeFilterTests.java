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
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.authority.FactorGrantedAuthority;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link SessionChallengeFilter}.
 *
 * @author session-timeout
 */
class SessionChallengeFilterTests {

	private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

	private final ServletSessionAnswers answers = mock(ServletSessionAnswers.class);

	private final SessionChallengeFilter filter = new SessionChallengeFilter(this.answers);

	private final FilterChain chain = mock(FilterChain.class);

	private final MockHttpSession session = new MockHttpSession();

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/account/export");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	SessionChallengeFilterTests() {
		this.request.setSession(this.session);
	}

	private static AuthorizationDeniedException deniedPrivilegedOperation(Duration maxAge) {
		return new AuthorizationDeniedException("Access Denied",
				new PrivilegedSessionDecision(false, FactorGrantedAuthority.PASSWORD_AUTHORITY, maxAge));
	}

	private void chainThrows(Exception ex) throws Exception {
		willThrow(ex).given(this.chain).doFilter(this.request, this.response);
	}

	@Test
	void doFilterWhenAChallengeIsPendingThenAnswersItInsteadOfTheChain() throws Exception {
		given(this.answers.challengePending(this.request, this.response)).willReturn(true);
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).shouldHaveNoInteractions();
	}

	@Test
	void doFilterWhenNoChallengeIsPendingThenContinuesTheChain() throws Exception {
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).should().doFilter(this.request, this.response);
		then(this.answers).should(never()).challenge(any(), any(), any(), any());
		then(this.answers).should(never()).challenge(any(), any(), any(), any(), any());
	}

	@Test
	void doFilterWhenAPrivilegedOperationIsDeniedThenChallengesWithItsMaxAge() throws Exception {
		chainThrows(deniedPrivilegedOperation(FIVE_MINUTES));
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.answers).should()
			.challenge(this.request, this.response, ExpiryReason.PRIVILEGED, FIVE_MINUTES, List.of());
	}

	@Test
	void doFilterWhenADenialIsWrappedInAServletExceptionThenChallenges() throws Exception {
		chainThrows(new ServletException("Request processing failed", deniedPrivilegedOperation(Duration.ZERO)));
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.answers).should()
			.challenge(this.request, this.response, ExpiryReason.PRIVILEGED, Duration.ZERO, List.of());
	}

	@Test
	void doFilterWhenAPrivilegedOperationIsDeniedThenDiscardsWhatTheApplicationBuffered() throws Exception {
		chainThrows(deniedPrivilegedOperation(FIVE_MINUTES));
		this.response.getWriter().write("partial body");
		this.filter.doFilter(this.request, this.response, this.chain);
		assertThat(this.response.getContentAsString()).isEmpty();
	}

	@Test
	void doFilterWhenAPrivilegedOperationIsDeniedWithoutASessionThenChallengesWithoutOne() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/account/export");
		willThrow(deniedPrivilegedOperation(FIVE_MINUTES)).given(this.chain).doFilter(request, this.response);
		this.filter.doFilter(request, this.response, this.chain);
		then(this.answers).should().challenge(request, this.response, ExpiryReason.PRIVILEGED, FIVE_MINUTES, List.of());
	}

	@Test
	void doFilterWhenAPrivilegedOperationIsDeniedAfterTheResponseWasCommittedThenRethrows() throws Exception {
		AuthorizationDeniedException denied = deniedPrivilegedOperation(FIVE_MINUTES);
		chainThrows(denied);
		this.response.setCommitted(true);
		assertThatExceptionOfType(AuthorizationDeniedException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, this.chain))
			.isSameAs(denied);
		then(this.answers).should(never()).challenge(any(), any(), any(), any());
		then(this.answers).should(never()).challenge(any(), any(), any(), any(), any());
	}

	@Test
	void doFilterWhenAnotherDenialEscapesThenRethrowsIt() throws Exception {
		AuthorizationDeniedException denied = new AuthorizationDeniedException("Access Denied",
				new AuthorizationDecision(false));
		chainThrows(denied);
		assertThatExceptionOfType(AuthorizationDeniedException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, this.chain))
			.isSameAs(denied);
		then(this.answers).should(never()).challenge(any(), any(), any(), any());
		then(this.answers).should(never()).challenge(any(), any(), any(), any(), any());
	}

	@Test
	void doFilterWhenOtherExceptionsEscapeThenRethrowsThem() throws Exception {
		for (Exception ex : new Exception[] { new IOException("broken pipe"), new IllegalStateException("bug"),
				new ServletException("failed", new IllegalArgumentException("bad")) }) {
			willThrow(ex).given(this.chain).doFilter(this.request, this.response);
			assertThatExceptionOfType(Exception.class)
				.isThrownBy(() -> this.filter.doFilter(this.request, this.response, this.chain))
				.isSameAs(ex);
		}
		then(this.answers).should(never()).challenge(any(), any(), any(), any());
		then(this.answers).should(never()).challenge(any(), any(), any(), any(), any());
	}

	@Test
	void doFilterWhenTheChallengeCannotBeWrittenThenItsFailurePropagates() throws Exception {
		chainThrows(deniedPrivilegedOperation(FIVE_MINUTES));
		IOException failure = new IOException("broken pipe");
		willThrow(failure).given(this.answers)
			.challenge(this.request, this.response, ExpiryReason.PRIVILEGED, FIVE_MINUTES, List.of());
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, this.chain))
			.isSameAs(failure);
	}

}
