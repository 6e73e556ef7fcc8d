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
package dev.sessiontimeout.test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Fallback;

/**
 * {@link EnableAutoConfiguration Auto-configuration} imported by
 * {@link AutoConfigureSessionTimeoutClock @AutoConfigureSessionTimeoutClock}: a
 * {@link MovableClock} as the {@code sessionTimeoutClock} bean, unless the application
 * context defines a bean of that name. It runs before the auto-configuration of
 * session-timeout, so that the starter finds it. The clock is a {@link Fallback fallback}
 * bean: where the application has a {@code Clock} bean of its own, that one is still the
 * one injected by type, and the starter, which asks for its clock by name, gets the
 * movable one.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(beforeName = { "dev.sessiontimeout.autoconfigure.SessionTimeoutAutoConfiguration",
		"dev.sessiontimeout.autoconfigure.SessionTimeoutSecurityAutoConfiguration",
		"dev.sessiontimeout.autoconfigure.SessionTimeoutActuateAutoConfiguration" })
public final class SessionTimeoutClockAutoConfiguration {

	/**
	 * The name of the clock bean that session-timeout uses for its decisions.
	 */
	static final String CLOCK_BEAN_NAME = "sessionTimeoutClock";

	@Bean(CLOCK_BEAN_NAME)
	@Fallback
	@ConditionalOnMissingBean(name = CLOCK_BEAN_NAME)
	MovableClock sessionTimeoutClock() {
		return new MovableClock();
	}

}
