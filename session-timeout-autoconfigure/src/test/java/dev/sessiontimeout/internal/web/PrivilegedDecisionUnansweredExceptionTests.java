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

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrivilegedDecisionUnansweredException} and how
 * {@link ServletSessionClocks#isPrivilegedDecisionUnanswered} finds it.
 *
 * @author session-timeout
 */
class PrivilegedDecisionUnansweredExceptionTests {

	private final MockHttpServletRequest request = new MockHttpServletRequest();

	@Test
	void isPrivilegedDecisionUnansweredWhenTheDecisionOnAnotherThreadFailedThenFoundAmongTheCauses() {
		QueryTimeoutException storeFailure = new QueryTimeoutException("Redis command timed out");
		PrivilegedDecisionUnansweredException unanswered = new PrivilegedDecisionUnansweredException(storeFailure);
		assertThat(unanswered).hasCause(storeFailure).hasMessageContaining("Redis command timed out");
		assertThat(ServletSessionClocks.isPrivilegedDecisionUnanswered(this.request, unanswered)).isTrue();
		// As a future's failure reaches the request that answers with it
		assertThat(ServletSessionClocks.isPrivilegedDecisionUnanswered(this.request,
				new ServletException(new ExecutionException(new CompletionException(unanswered)))))
			.isTrue();
	}

	@Test
	void isPrivilegedDecisionUnansweredWhenTheStoreFailedOtherwiseThenFalse() {
		QueryTimeoutException storeFailure = new QueryTimeoutException("Redis command timed out");
		// The same failure once it met a decision on another thread: only that decision's
		// exception tells, never the failure itself
		new PrivilegedDecisionUnansweredException(storeFailure);
		assertThat(ServletSessionClocks.isPrivilegedDecisionUnanswered(this.request, storeFailure)).isFalse();
		assertThat(ServletSessionClocks.isPrivilegedDecisionUnanswered(this.request,
				new ServletException(new IllegalStateException("not the store"))))
			.isFalse();
	}

}
