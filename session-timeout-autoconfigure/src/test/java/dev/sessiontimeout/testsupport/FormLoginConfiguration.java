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
package dev.sessiontimeout.testsupport;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What the small integration test applications share: a {@link MutableClock} as the
 * {@code sessionTimeoutClock}, and Spring Security's form login (its generated page, CSRF
 * off, so that a test signs in with one {@code POST}) in front of every request. The
 * applications declare their users and pages.
 *
 * @author session-timeout
 */
@Configuration(proxyBeanMethods = false)
public class FormLoginConfiguration {

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		http.formLogin(Customizer.withDefaults());
		http.csrf((csrf) -> csrf.disable());
		return http.build();
	}

}
