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

import org.springframework.context.MessageSource;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.authentication.ui.DefaultLoginPageGeneratingFilter;

/**
 * Adds the {@link GeneratedLoginPageReasonFilter} to a security filter chain that has
 * Spring Security's generated login page.
 *
 * @author session-timeout
 * @since 0.1.0
 */
final class GeneratedLoginPageConfigurer extends AbstractHttpConfigurer<GeneratedLoginPageConfigurer, HttpSecurity> {

	private final String expiredUrl;

	private final MessageSource messageSource;

	GeneratedLoginPageConfigurer(String expiredUrl, MessageSource messageSource) {
		this.expiredUrl = expiredUrl;
		this.messageSource = messageSource;
	}

	@Override
	public void configure(HttpSecurity http) {
		DefaultLoginPageGeneratingFilter loginPage = http.getSharedObject(DefaultLoginPageGeneratingFilter.class);
		if (loginPage != null && loginPage.isEnabled()) {
			http.addFilterBefore(new GeneratedLoginPageReasonFilter(loginPage, this.expiredUrl, this.messageSource),
					DefaultLoginPageGeneratingFilter.class);
		}
	}

}
