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

import java.time.Duration;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * Tests for {@link UncoveredPathChallengeFilter}, the filter right after Spring
 * Security's filter chain ({@link SessionChallengeFilter#afterSecurityChains}).
 *
 * @author session-timeout
 */
class UncoveredPathChallengeFilterTests {

	private final ServletSessionAnswers answers = mock(ServletSessionAnswers.class);

	private final ServletSessionClocks clocks = mock(ServletSessionClocks.class);

	private final Filter filter = SessionChallengeFilter.afterSecurityChains(this.answers, this.clocks);

	private final FilterChain chain = mock(FilterChain.class);

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/open/transfer");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	UncoveredPathChallengeFilterTests() {
		given(this.clocks.hasPrivilegedPaths()).willReturn(true);
		given(this.clocks.claimDeferredGrant(any())).willReturn(true);
		given(this.clocks.getPrivilegedAcrValues()).willReturn(List.of("urn:example:mfa"));
	}

	@Test
	void doFilterWhenNothingIsLeftToJudgeThenContinuesTheChain() throws Exception {
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).should().doFilter(this.request, this.response);
		then(this.answers).should(never()).challenge(any(), any(), any(), any(), any());
	}

	@Test
	void doFilterWhenAChallengeLeftToAChainIsPendingThenAnswersItInsteadOfTheChain() throws Exception {
		given(this.answers.challengePending(this.request, this.response)).willReturn(true);
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).shouldHaveNoInteractions();
		then(this.clocks).should(never()).claimDeferredGrant(any());
	}

	@Test
	void doFilterWhenARewrittenPathIsChallengedThenTheChainIsNotContinued() throws Exception {
		given(this.answers.challengeRewrittenPath(this.request, this.response, this.clocks)).willReturn(true);
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).shouldHaveNoInteractions();
		then(this.clocks).should(never()).claimDeferredGrant(any());
	}

	@Test
	void doFilterWhenTheDeferredGrantIsGoneThenChallengesForAZeroAgeStepUp() throws Exception {
		given(this.clocks.claimDeferredGrant(this.request)).willReturn(false);
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.answers).should()
			.challenge(this.request, this.response, ExpiryReason.PRIVILEGED, Duration.ZERO, List.of("urn:example:mfa"));
		then(this.chain).shouldHaveNoInteractions();
	}

	@Test
	void doFilterWhenTheStoreDoesNotAnswerTheClaimThenItsFailurePropagatesUnserved() throws Exception {
		given(this.clocks.claimDeferredGrant(this.request)).willThrow(new QueryTimeoutException("timed out"));
		assertThatExceptionOfType(QueryTimeoutException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, this.chain));
		then(this.chain).shouldHaveNoInteractions();
		then(this.answers).should(never()).challenge(any(), any(), any(), any(), any());
	}

	@Test
	void doFilterWhenNoPathIsPrivilegedThenAnswersOnlyAPendingChallenge() throws Exception {
		given(this.clocks.hasPrivilegedPaths()).willReturn(false);
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).should().doFilter(this.request, this.response);
		then(this.answers).should().challengePending(this.request, this.response);
		then(this.answers).shouldHaveNoMoreInteractions();
		then(this.clocks).should(never()).claimDeferredGrant(any());
	}

	@Test
	void doFilterWhenNotTheRequestsOwnDispatchThenLetsItThrough() throws Exception {
		this.request.setDispatcherType(DispatcherType.FORWARD);
		this.filter.doFilter(this.request, this.response, this.chain);
		then(this.chain).should().doFilter(this.request, this.response);
		then(this.answers).shouldHaveNoInteractions();
		then(this.clocks).should(never()).claimDeferredGrant(any());
	}

}
