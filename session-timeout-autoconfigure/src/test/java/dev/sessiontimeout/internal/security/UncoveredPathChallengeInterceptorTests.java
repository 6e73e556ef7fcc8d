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
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link UncoveredPathChallengeInterceptor}, which judges in Spring MVC a path
 * rewritten after Spring Security's filter chain.
 *
 * @author session-timeout
 */
class UncoveredPathChallengeInterceptorTests {

	private final ServletSessionAnswers answers = mock(ServletSessionAnswers.class);

	private final ServletSessionClocks clocks = mock(ServletSessionClocks.class);

	private final UncoveredPathChallengeInterceptor interceptor = new UncoveredPathChallengeInterceptor(this.answers,
			this.clocks);

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/account/transfer");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	UncoveredPathChallengeInterceptorTests() {
		given(this.clocks.hasPrivilegedPaths()).willReturn(true);
		given(this.clocks.claimDeferredGrant(any())).willReturn(true);
		given(this.clocks.getPrivilegedAcrValues()).willReturn(List.of());
	}

	@Test
	void preHandleWhenNothingIsLeftToJudgeThenTheHandlerRuns() throws Exception {
		assertThat(this.interceptor.preHandle(this.request, this.response, new Object())).isTrue();
	}

	@Test
	void preHandleWhenARewrittenPathIsChallengedThenTheHandlerDoesNotRun() throws Exception {
		given(this.answers.challengeRewrittenPath(this.request, this.response, this.clocks)).willReturn(true);
		assertThat(this.interceptor.preHandle(this.request, this.response, new Object())).isFalse();
	}

	@Test
	void preHandleWhenTheDeferredGrantIsGoneThenChallengesInsteadOfTheHandler() throws Exception {
		given(this.clocks.claimDeferredGrant(this.request)).willReturn(false);
		assertThat(this.interceptor.preHandle(this.request, this.response, new Object())).isFalse();
		then(this.answers).should()
			.challenge(this.request, this.response, ExpiryReason.PRIVILEGED, Duration.ZERO, List.of());
	}

	@Test
	void preHandleWhenNotTheRequestsOwnDispatchThenTheHandlerRuns() throws Exception {
		this.request.setDispatcherType(DispatcherType.ERROR);
		assertThat(this.interceptor.preHandle(this.request, this.response, new Object())).isTrue();
		then(this.answers).shouldHaveNoInteractions();
	}

	@Test
	void preHandleWhenNoPathIsPrivilegedThenTheHandlerRunsAtOnce() throws Exception {
		// Registered as a bean whether or not paths are privileged
		given(this.clocks.hasPrivilegedPaths()).willReturn(false);
		given(this.answers.challengePending(this.request, this.response)).willReturn(true);
		assertThat(this.interceptor.preHandle(this.request, this.response, new Object())).isTrue();
		then(this.answers).shouldHaveNoInteractions();
	}

}
