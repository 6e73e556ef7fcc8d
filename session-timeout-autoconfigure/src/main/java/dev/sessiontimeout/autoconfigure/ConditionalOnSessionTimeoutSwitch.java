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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches unless a {@code session-timeout.*} switch, {@code true} by default, is
 * {@code false} as Spring Boot binds a boolean ({@code false}, {@code off}, {@code no},
 * {@code 0}): so the condition agrees with the bound properties, where
 * {@code @ConditionalOnBooleanProperty} matches the text {@code true} only. A value that
 * is no boolean matches, so that binding the properties fails startup with a report
 * naming it.
 *
 * @author session-timeout
 * @see OnSessionTimeoutSwitchCondition
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnSessionTimeoutSwitchCondition.class)
@interface ConditionalOnSessionTimeoutSwitch {

	/**
	 * The full name of the property.
	 * @return the name
	 */
	String value();

}
