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

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.session.PrivilegedOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequiresPrivilegedSessionPointcut}.
 *
 * @author session-timeout
 */
class RequiresPrivilegedSessionPointcutTests {

	private final PrivilegedOperations operations = new PrivilegedOperations();

	private final RequiresPrivilegedSessionPointcut pointcut = new RequiresPrivilegedSessionPointcut(this.operations);

	@Test
	void matchesWhenAClassHasAZeroAgeMethodBesidesOthersThenFindsItThoughSpringStopsAtTheFirstMatch() {
		assertThat(AopUtils.canApply(this.pointcut, Mixed.class)).isTrue();
		assertThat(this.operations.zeroAgeExist()).isTrue();
	}

	@Test
	void matchesWhenNoMethodHasAZeroAgeThenFindsNone() {
		assertThat(AopUtils.canApply(this.pointcut, PolicyAgeOnly.class)).isTrue();
		assertThat(AopUtils.canApply(this.pointcut, Unprivileged.class)).isFalse();
		assertThat(this.operations.zeroAgeExist()).isFalse();
	}

	@Test
	void matchesWhenAMethodIsPrivilegedThenPrivilegedOperationsExist() {
		assertThat(AopUtils.canApply(this.pointcut, Unprivileged.class)).isFalse();
		assertThat(this.operations.exist()).isFalse();
		assertThat(AopUtils.canApply(this.pointcut, PolicyAgeOnly.class)).isTrue();
		assertThat(this.operations.exist()).isTrue();
		assertThat(this.operations.zeroAgeExist()).isFalse();
	}

	@Test
	void matchesWhenTheTypeAsksForAZeroAgeThenFindsIt() {
		assertThat(AopUtils.canApply(this.pointcut, ZeroAgeType.class)).isTrue();
		assertThat(this.operations.zeroAgeExist()).isTrue();
	}

	static class Mixed {

		@RequiresPrivilegedSession
		public void a() {
		}

		@RequiresPrivilegedSession(maxAge = "5m")
		public void b() {
		}

		@RequiresPrivilegedSession(maxAge = "0")
		public void c() {
		}

		@RequiresPrivilegedSession
		public void d() {
		}

	}

	static class PolicyAgeOnly {

		@RequiresPrivilegedSession
		public void a() {
		}

		@RequiresPrivilegedSession(maxAge = "5m")
		public void b() {
		}

	}

	static class Unprivileged {

		public void a() {
		}

	}

	@RequiresPrivilegedSession(maxAge = "0s")
	static class ZeroAgeType {

		public void a() {
		}

	}

}
