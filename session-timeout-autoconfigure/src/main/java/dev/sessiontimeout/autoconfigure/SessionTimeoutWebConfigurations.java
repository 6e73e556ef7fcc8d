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

import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.SessionRepository;
import org.springframework.web.servlet.DispatcherServlet;

import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.internal.users.UserSessionsController;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionStatusController;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * Configurations for what the starter serves over HTTP that
 * {@link SessionTimeoutAutoConfiguration} imports: the status endpoint, the self-service
 * endpoint of a user's sessions and the countdown banner's browser script.
 *
 * @author session-timeout
 */
final class SessionTimeoutWebConfigurations {

	private SessionTimeoutWebConfigurations() {
	}

	/**
	 * The status endpoint ({@code session-timeout.status.*}), a Spring MVC controller.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DispatcherServlet.class)
	@ConditionalOnSessionTimeoutSwitch("session-timeout.status.enabled")
	static class StatusConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SessionStatusController sessionStatusController(ServletSessionClocks clocks,
				SessionTimeoutResponder responder) {
			return new SessionStatusController(clocks, responder);
		}

	}

	/**
	 * The self-service endpoint ({@code session-timeout.sessions.*}) where users list and
	 * end their own sessions, a Spring MVC controller.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ DispatcherServlet.class, SessionRepository.class })
	@ConditionalOnSessionTimeoutSwitch("session-timeout.sessions.enabled")
	static class SessionsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(SpringSessionUserSessions.class)
		UserSessionsController sessionTimeoutUserSessionsController(SpringSessionUserSessions userSessions,
				ServletSessionClocks clocks, SessionTimeoutResponder responder, SessionTimeoutProperties properties) {
			return new UserSessionsController(userSessions, clocks, responder, properties.getSessions().isRecordIp());
		}

	}

	/**
	 * Serves the countdown banner's browser script ahead of Spring Session and Spring
	 * Security, see {@link SessionTimeoutScriptFilter}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnSessionTimeoutSwitch("session-timeout.script.enabled")
	static class ScriptConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "sessionTimeoutScriptFilterRegistration")
		FilterRegistrationBean<SessionTimeoutScriptFilter> sessionTimeoutScriptFilterRegistration() {
			FilterRegistrationBean<SessionTimeoutScriptFilter> registration = new FilterRegistrationBean<>(
					new SessionTimeoutScriptFilter());
			registration.setOrder(SessionTimeoutScriptFilter.ORDER);
			registration.setDispatcherTypes(DispatcherType.REQUEST);
			registration.addUrlPatterns(SessionTimeoutScriptFilter.PATH);
			return registration;
		}

	}

}
