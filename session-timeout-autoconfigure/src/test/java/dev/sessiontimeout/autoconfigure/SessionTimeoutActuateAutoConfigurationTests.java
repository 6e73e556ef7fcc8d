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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.Session;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionEndedEvent;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.internal.actuate.SessionTimeoutAuditListener;
import dev.sessiontimeout.internal.actuate.SessionTimeoutMetrics;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.actuate.SessionTimeoutsEndpoint;
import dev.sessiontimeout.internal.actuate.StoreExpiryEventListener;
import dev.sessiontimeout.internal.reactive.SessionTimeoutWebFilter;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.SessionChallengedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SessionTimeoutActuateAutoConfiguration}.
 */
class SessionTimeoutActuateAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(SessionTimeoutAutoConfiguration.class, SessionTimeoutActuateAutoConfiguration.class));

	private final ReactiveWebApplicationContextRunner reactiveContextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutReactiveAutoConfiguration.class, SessionTimeoutActuateAutoConfiguration.class));

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
	void endpointWhenPresetDeviatedFromThenShowsThePresetTheJustificationTheLimitsAndTheWeakerValue() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts",
					"session-timeout.preset=nist-aal2", "session-timeout.idle=2h",
					"session-timeout.preset-deviation=Kiosks in a locked room", "session-timeout.limits.absolute=20h",
					"session-timeout.limits.reauthentication=10h")
			.run((context) -> {
				Map<String, Object> configuration = context.getBean(SessionTimeoutsEndpoint.class).configuration();
				assertThat(configuration).containsEntry("preset", "nist-aal2")
					.containsEntry("presetDeviation", "Kiosks in a locked room")
					.containsEntry("limits", Map.of("absolute", "20h", "idle", "-1", "reauthentication", "10h"))
					.extractingByKey("global", InstanceOfAssertFactories.MAP)
					.containsEntry("absolute", "20h")
					.containsEntry("idle", "2h")
					.containsEntry("reauthentication", "10h")
					.containsEntry("privilegedMaxAge", "15m");
			});
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
		// Where the revocation records itself for logins still in their requests
		given(sessions.createSession()).willAnswer((invocation) -> new MapSession());
		PersistentTokenRepository tokens = mock(PersistentTokenRepository.class);
		PersistentTokenRepository otherTokens = mock(PersistentTokenRepository.class);
		this.contextRunner.withBean(FindByIndexNameSessionRepository.class, () -> sessions)
			.withBean("tokens", PersistentTokenRepository.class, () -> tokens)
			.withBean("otherTokens", PersistentTokenRepository.class, () -> otherTokens)
			.run((context) -> {
				assertThat(context.getBean(UserSessions.class).revokeAll("user")).isZero();
				then(tokens).should().removeUserTokens("user");
				then(otherTokens).should().removeUserTokens("user");
				then(sessions).should().save(any(Session.class));
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

	@Test
	void servletApplicationWhenEverythingPresentThenOneOfEachWithTheServletUserSessions() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(SessionTimeoutMetrics.class)
					.hasSingleBean(SessionTimeoutAuditListener.class)
					.hasSingleBean(SessionTimeoutsEndpoint.class)
					.hasSingleBean(StoreExpiryEventListener.class)
					.hasSingleBean(SpringSessionUserSessions.class)
					.hasSingleBean(SessionTimeoutFilter.class)
					.doesNotHaveBean(SessionTimeoutWebFilter.class);
				assertThat(context.getBean(SessionTimeoutsEndpoint.class).sessions("alice").getStatus())
					.isEqualTo(WebEndpointResponse.STATUS_OK);
			});
	}

	@Test
	void reactiveApplicationWhenMeterRegistryAuditRepositoryAndExposedEndpointThenRegistersThemAndNoServletBean() {
		this.reactiveContextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(SessionTimeoutMetrics.class)
					.hasSingleBean(SessionTimeoutAuditListener.class)
					.hasSingleBean(SessionTimeoutsEndpoint.class)
					.hasSingleBean(StoreExpiryEventListener.class)
					.hasSingleBean(SessionTimeoutWebFilter.class)
					.doesNotHaveBean(SpringSessionUserSessions.class)
					.doesNotHaveBean(SessionTimeoutFilter.class);
				assertThat(context.getBean(MeterRegistry.class).find(SessionTimeoutMetrics.EXPIRED).counters())
					.hasSize(4);
			});
	}

	@Test
	void reactiveApplicationWhenSessionEndsThenCountedAndAudited() {
		this.reactiveContextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.run((context) -> {
				context.publishEvent(new SessionEndedEvent("test", Clock.systemUTC(), ExpiryReason.IDLE, "alice",
						"0123", Instant.parse("2026-01-01T00:30:00Z"), "default"));
				assertThat(context.getBean(MeterRegistry.class)
					.get(SessionTimeoutMetrics.EXPIRED)
					.tag("reason", "idle")
					.counter()
					.count()).isEqualTo(1);
				assertThat(context.getBean(AuditEventRepository.class).find("alice", null, null)).singleElement()
					.satisfies((event) -> {
						assertThat(event.getType()).isEqualTo(SessionTimeoutAuditListener.SESSION_EXPIRED);
						assertThat(event.getData()).containsEntry("reason", "idle")
							.containsEntry("deadline", "2026-01-01T00:30:00Z");
					});
			});
	}

	@Test
	void reactiveApplicationWhenEndpointAskedForAUsersSessionsThenFindsThemInWebFluxsOwnStore() {
		this.reactiveContextRunner.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts")
			.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.run((context) -> {
				SessionTimeoutsEndpoint endpoint = context.getBean(SessionTimeoutsEndpoint.class);
				assertThat(endpoint.configuration()).containsKeys("global", "limits", "policies");
				WebEndpointResponse<Object> sessions = endpoint.sessions("alice");
				assertThat(sessions.getStatus()).isEqualTo(200);
				assertThat(sessions.getBody()).isEqualTo(Map.of("username", "alice", "sessions", List.of()));
				assertThat(endpoint.revoke("alice").getBody())
					.isEqualTo(Map.of("username", "alice", "revoked", List.of()));
			});
	}

	@Test
	void reactiveApplicationWhenEndpointAskedForAUsersSessionsInAStoreOfItsOwnThenAnswersNotImplemented() {
		this.reactiveContextRunner.withPropertyValues("management.endpoints.web.exposure.include=sessiontimeouts")
			.withBean(WebSessionManager.class, () -> (exchange) -> Mono.empty())
			.run((context) -> {
				SessionTimeoutsEndpoint endpoint = context.getBean(SessionTimeoutsEndpoint.class);
				WebEndpointResponse<Object> sessions = endpoint.sessions("alice");
				assertThat(sessions.getStatus()).isEqualTo(501);
				assertThat(sessions.getBody()).asString()
					.contains("Sessions by user need one of Spring Session's reactive map and Redis repositories",
							"a WebSessionManager of its own");
				assertThat(endpoint.revoke("alice").getStatus()).isEqualTo(501);
			});
	}

	@Test
	void reactiveApplicationWhenEndpointNotExposedThenAbsent() {
		this.reactiveContextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionTimeoutsEndpoint.class));
	}

	@Test
	void reactiveApplicationWhenSpringSessionMissingThenNoStoreExpiryListener() {
		this.reactiveContextRunner.withClassLoader(new FilteredClassLoader("org.springframework.session"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StoreExpiryEventListener.class));
	}

	@Test
	void reactiveApplicationWhenDisabledThenAbsent() {
		this.reactiveContextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.withPropertyValues("session-timeout.enabled=false",
					"management.endpoints.web.exposure.include=sessiontimeouts")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionTimeoutMetrics.class)
				.doesNotHaveBean(SessionTimeoutAuditListener.class)
				.doesNotHaveBean(SessionTimeoutsEndpoint.class)
				.doesNotHaveBean(StoreExpiryEventListener.class));
	}

	@Test
	void nonWebApplicationThenAbsent() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
					SessionTimeoutReactiveAutoConfiguration.class, SessionTimeoutActuateAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(AuditEventRepository.class, InMemoryAuditEventRepository::new)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionTimeoutMetrics.class)
				.doesNotHaveBean(SessionTimeoutAuditListener.class));
	}

}
