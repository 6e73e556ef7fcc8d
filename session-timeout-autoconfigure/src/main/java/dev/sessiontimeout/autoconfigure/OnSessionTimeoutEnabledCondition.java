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
package dev.sessiontimeout.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code session-timeout.enabled} is {@code false}. A value that is no
 * boolean at all ({@code maybe}, a typo) matches, so that binding the properties fails
 * startup with a report naming it, rather than turn every session clock off in silence,
 * as a condition on the value {@code true} would.
 *
 * @author session-timeout
 */
class OnSessionTimeoutEnabledCondition extends SpringBootCondition {

	static final String PROPERTY = "session-timeout.enabled";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return OnSessionTimeoutSwitchCondition.outcome(context.getEnvironment(), PROPERTY);
	}

	/**
	 * Matches where {@link OnSessionTimeoutEnabledCondition} does not: where
	 * {@code session-timeout.enabled} is {@code false}.
	 */
	static class Disabled extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome enabled = OnSessionTimeoutSwitchCondition.outcome(context.getEnvironment(), PROPERTY);
			return new ConditionOutcome(!enabled.isMatch(), enabled.getMessage());
		}

	}

}
