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

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnSessionTimeoutSwitch}.
 *
 * @author session-timeout
 */
class OnSessionTimeoutSwitchCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata
			.getAnnotationAttributes(ConditionalOnSessionTimeoutSwitch.class.getName());
		String property = (attributes != null) ? (String) attributes.get("value") : null;
		if (property == null) {
			return ConditionOutcome.match("no switch");
		}
		return outcome(context.getEnvironment(), property);
	}

	/**
	 * Match unless a switch, {@code true} by default, is {@code false} as Spring Boot
	 * binds a boolean; a value that is no boolean matches, left to binding to report.
	 * @param environment the environment
	 * @param property the full name of the property
	 * @return the outcome
	 */
	static ConditionOutcome outcome(PropertyResolver environment, String property) {
		String value = environment.getProperty(property);
		if (value == null) {
			return ConditionOutcome.match(property + " is not set");
		}
		Boolean enabled;
		try {
			enabled = DefaultConversionService.getSharedInstance().convert(value.strip(), Boolean.class);
		}
		catch (ConversionException ex) {
			return ConditionOutcome.match(property + "=" + value + " is no boolean: left to binding to report");
		}
		return Boolean.FALSE.equals(enabled) ? ConditionOutcome.noMatch(property + " is false")
				: ConditionOutcome.match(property + " is " + value);
	}

}
