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

import java.time.Clock;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.internal.actuate.SessionTimeoutAuditListener;
import dev.sessiontimeout.internal.actuate.SessionTimeoutMetrics;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.actuate.SessionTimeoutsEndpoint;
import dev.sessiontimeout.SessionChallengedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SessionTimeoutActuateAutoConfiguration}.
 */
class SessionTimeoutActuateAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SessionTimeoutAutoConfiguration.class, SessionTimeoutActuateAutoConfiguration.class));

	@Test
	void metricsWhenMeterRegistryPresentThenCountersRegistered() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(SessionTimeoutMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find(SessionTimeoutMetrics.EXPIRED).counters()).hasSize(4);
		});
	}

	@Test
	void metricsWhenNoMeterRegistryThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionTimeoutMetrics.class));
	}

	@Test
	void metricsWhenMicrometerMissingThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionTimeoutMetrics.class));
	}

	@Test
	void auditWhenRepositoryPresentThenListenerRegistered() {
		this.contextRunner.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.run((context) -> assertThat(context).hasSingleBean(SessionTimeoutAuditListener.class));
	}

	@Test
	void auditWhenNoRepositoryThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionTimeoutAuditListener.class));
	}

	@Test
	void auditWhenActuatorMissingThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionTimeoutAuditListener.class));
	}

	@Test
	void endpointWhenExposedThenRegistered() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts")
			.run((context) -> assertThat(context).hasSingleBean(SessionTimeoutsEndpoint.class));
	}

	@Test
	void endpointWhenNotExposedThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionTimeoutsEndpoint.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void userSessionsWhenRevokingThenRemovesTheUsersTokensFromEveryRememberMeTokenRepository() {
		FindByIndexNameSessionRepository<Session> sessions = mock(FindByIndexNameSessionRepository.class);
		given(sessions.findByPrincipalName("user")).willReturn(Map.of());
		PersistentTokenRepository tokens = mock(PersistentTokenRepository.class);
		PersistentTokenRepository otherTokens = mock(PersistentTokenRepository.class);
		this.contextRunner.withBean(FindByIndexNameSessionRepository.class, () -> sessions)
			.withBean("tokens", PersistentTokenRepository.class, () -> tokens)
			.withBean("otherTokens", PersistentTokenRepository.class, () -> otherTokens)
			.run((context) -> {
				assertThat(context.getBean(UserSessions.class).revokeAll("user")).isZero();
				then(tokens).should().removeUserTokens("user");
				then(otherTokens).should().removeUserTokens("user");
			});
	}

	@Test
	void endpointWhenActuatorMissingThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionTimeoutsEndpoint.class));
	}

	@Test
	void stepUpEventWhenPublishedThenCountedAndAudited() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.run((context) -> {
				context.publishEvent(new SessionStepUpEvent("test", Clock.systemUTC(), ExpiryReason.PRIVILEGED, "alice",
						"0123", "administrators"));
				context.publishEvent(new SessionChallengedEvent("test", Clock.systemUTC(), ExpiryReason.PRIVILEGED,
						"alice", "0123", null, "administrators"));
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(SessionTimeoutMetrics.STEP_UP).tag("outcome", "succeeded").counter().count())
					.isEqualTo(1);
				assertThat(registry.get(SessionTimeoutMetrics.STEP_UP).tag("outcome", "challenged").counter().count())
					.isEqualTo(1);
				assertThat(context.getBean(AuditEventRepository.class).find("alice", null, null))
					.extracting((event) -> event.getType())
					.containsExactlyInAnyOrder(SessionTimeoutAuditListener.STEP_UP_SUCCEEDED,
							SessionTimeoutAuditListener.STEP_UP_CHALLENGED);
			});
	}

	@Test
	void everythingWhenDisabledThenAbsent() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.withPropertyValues("session-timeout.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionTimeoutMetrics.class)
				.doesNotHaveBean(SessionTimeoutAuditListener.class));
	}

}
