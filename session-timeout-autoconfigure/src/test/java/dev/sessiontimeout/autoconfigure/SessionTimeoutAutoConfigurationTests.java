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

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.SessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.config.Customizer;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.autoconfigure.SessionTimeoutAutoConfiguration.PlatformSessionTimeout;
import dev.sessiontimeout.internal.policy.InvalidSessionDurationException;
import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.PolicyRule;
import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.security.OidcLoginFlow;
import dev.sessiontimeout.internal.security.OidcStepUpAuthorizationRequestCustomizer;
import dev.sessiontimeout.internal.security.PrivilegedSessionExceptionResolver;
import dev.sessiontimeout.internal.security.RequiresPrivilegedSessionPointcut;
import dev.sessiontimeout.internal.security.SecuritySessionAuthenticationSupport;
import dev.sessiontimeout.internal.security.SessionAuthenticationRecorder;
import dev.sessiontimeout.internal.security.StepUpSessionAuthenticationStrategy;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.web.SessionRegistryEndListener;
import dev.sessiontimeout.internal.web.SessionStatusController;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.BDDMockito.mock;

/**
 * Tests for {@link SessionTimeoutAutoConfiguration}.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionTimeoutAutoConfigurationTests {

	private static final Instant FIXED = Instant.parse("2020-01-01T09:00:00Z");

	private static final String[] SECURITY_BEANS = { "sessionTimeoutAuthenticationSupport",
			"sessionTimeoutAuthenticationRecorder", "sessionTimeoutStepUpSessionAuthenticationStrategy",
			"sessionTimeoutPrivilegedSessionInterceptor", "sessionTimeoutHttpSecurityCustomizer",
			"sessionTimeoutPrivilegedSessionExceptionResolver" };

	private static final String[] OAUTH2_BEANS = { "sessionTimeoutOidcLoginFlow",
			"sessionTimeoutOidcStepUpAuthorizationRequestCustomizer",
			"sessionTimeoutOAuth2AuthorizationRequestResolver" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class));

	@Test
	void autoConfigurationWhenSpringBoot3RedisSessionPropertyThenWarnsThatItIsIgnored(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.session.redis.repository-type=indexed").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("spring.session.redis.* is a Spring Boot 3 name that Spring Boot 4 ignores: "
					+ "use spring.session.data.redis.*");
		});
	}

	@Test
	void autoConfigurationWhenSpringBoot4RedisSessionPropertyThenNoWarning(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.session.data.redis.repository-type=indexed")
			.run((context) -> assertThat(output).doesNotContain("Spring Boot 3 name"));
	}

	@Test
	void endedSessionsWhenMapRepositoryThenRememberedInMemoryWithoutWarning(CapturedOutput output) {
		this.contextRunner
			.withBean("sessionRepository", MapSessionRepository.class, () -> new MapSessionRepository(new HashMap<>()))
			.run((context) -> {
				assertThat(context).getBean(EndedSessions.class).isInstanceOf(InMemoryEndedSessions.class);
				assertThat(output).doesNotContain("this node's memory only");
			});
	}

	@Test
	void endedSessionsWhenAnUnknownRepositoryThenRememberedInMemoryWithAWarning(CapturedOutput output) {
		MapSessionRepository delegate = new MapSessionRepository(new HashMap<>());
		SessionRepository<MapSession> wrapper = new SessionRepository<>() {

			@Override
			public MapSession createSession() {
				return delegate.createSession();
			}

			@Override
			public void save(MapSession session) {
				delegate.save(session);
			}

			@Override
			public MapSession findById(String id) {
				return delegate.findById(id);
			}

			@Override
			public void deleteById(String id) {
				delegate.deleteById(id);
			}

		};
		this.contextRunner.withBean("sessionRepository", SessionRepository.class, () -> wrapper).run((context) -> {
			assertThat(context).getBean(EndedSessions.class).isInstanceOf(InMemoryEndedSessions.class);
			assertThat(output).contains("Why sessions ended is remembered in this node's memory only");
		});
	}

	@Test
	void endedSessionsWhenTheApplicationDeclaresOneThenBacksOff() {
		this.contextRunner.withBean("myEndedSessions", EndedSessions.class, () -> EndedSessions.NONE)
			.run((context) -> assertThat(context).getBean(EndedSessions.class).isSameAs(EndedSessions.NONE));
	}

	@Test
	void autoConfigurationWhenDefaultsThenCreatesEveryBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SessionTimeoutProperties.class)
				.hasSingleBean(SessionTimeoutSettings.class)
				.hasSingleBean(SessionTimeoutFilter.class)
				.hasSingleBean(SessionTimeoutResponder.class)
				.hasSingleBean(SessionPrincipalResolver.class)
				.hasBean("sessionTimeoutFilterRegistration")
				.hasBean("sessionTimeoutScriptFilterRegistration");
			assertThat(context.getBean(SessionPrincipalResolver.class))
				.isInstanceOf(SecurityContextPrincipalResolver.class);
			assertThat(context.getBean(SessionTimeoutResponder.class).getExpiredUrl())
				.isEqualTo("/login?expired={reason}");
		});
	}

	@Test
	void autoConfigurationWhenDefaultsThenFilterRegisteredAfterSpringSessionOnRequestsOnly() {
		this.contextRunner.run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("sessionTimeoutFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isSameAs(context.getBean(SessionTimeoutFilter.class));
			assertThat(registration.getOrder()).isEqualTo(SessionTimeoutFilter.DEFAULT_ORDER);
			assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
			assertThat(SessionTimeoutFilter.DEFAULT_ORDER).isGreaterThan(Integer.MIN_VALUE + 50).isLessThan(-100);
		});
	}

	@Test
	void autoConfigurationWhenDefaultsThenDefaultPolicy() {
		this.contextRunner.run((context) -> {
			SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
			assertThat(settings.getDefaultPolicy())
				.isEqualTo(new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME, Duration.ofHours(12),
						Duration.ofMinutes(30), null, Duration.ofMinutes(15)));
			assertThat(settings.getStoreGrace()).isEqualTo(Duration.ofMinutes(1));
			assertThat(settings.getLimits()).isEqualTo(Limits.NONE);
			assertThat(settings.getPreset()).isNull();
		});
	}

	@Test
	void autoConfigurationWhenDisabledThenCreatesNothing() {
		this.contextRunner.withPropertyValues("session-timeout.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionTimeoutProperties.class)
				.doesNotHaveBean(SessionTimeoutSettings.class)
				.doesNotHaveBean(SessionTimeoutFilter.class)
				.doesNotHaveBean(SessionTimeoutResponder.class)
				.doesNotHaveBean(SessionPrincipalResolver.class)
				.doesNotHaveBean(FilterRegistrationBean.class);
		});
	}

	@Test
	void autoConfigurationWhenDisabledThenInvalidValuesIgnored() {
		this.contextRunner.withPropertyValues("session-timeout.enabled=false", "session-timeout.idle=0")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SessionTimeoutSettings.class));
	}

	@Test
	void autoConfigurationWhenNotAWebApplicationThenCreatesNothing() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionTimeoutSettings.class)
				.doesNotHaveBean(SessionTimeoutFilter.class));
	}

	@Test
	void settingsWhenUserDefinedThenAutoConfigurationBacksOffAndFilterUsesThem() {
		this.contextRunner.withUserConfiguration(UserSettingsConfiguration.class, ClockConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionTimeoutSettings.class);
				assertThat(context.getBean(SessionTimeoutSettings.class))
					.isSameAs(context.getBean(UserSettingsConfiguration.class).settings);
				MockHttpSession session = sessionCreatedAt(FIXED.minus(Duration.ofHours(2)));
				MockHttpServletResponse response = filter(context, session);
				assertThat(session.isInvalid()).isTrue();
				assertThat(response.getStatus()).isEqualTo(HttpServletResponse.SC_UNAUTHORIZED);
			});
	}

	@Test
	void filterWhenUserDefinedThenAutoConfigurationBacksOffAndRegistersIt() {
		this.contextRunner.withUserConfiguration(UserFilterConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SessionTimeoutFilter.class);
			SessionTimeoutFilter filter = context.getBean(SessionTimeoutFilter.class);
			assertThat(filter).isSameAs(context.getBean(UserFilterConfiguration.class).filter);
			assertThat(context.getBean("sessionTimeoutFilterRegistration", FilterRegistrationBean.class).getFilter())
				.isSameAs(filter);
		});
	}

	@Test
	void responderWhenUserDefinedThenAutoConfigurationBacksOffAndFilterUsesIt() {
		this.contextRunner.withUserConfiguration(UserResponderConfiguration.class, ClockConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionTimeoutResponder.class);
				assertThat(context.getBean(SessionTimeoutResponder.class).getExpiredUrl()).isEqualTo("/signed-out");
				MockHttpServletResponse response = filter(context, sessionCreatedAt(FIXED.minus(Duration.ofDays(1))));
				assertThat(response.getStatus()).isEqualTo(UserResponderConfiguration.STATUS);
				assertThat(response.getHeader("X-Reason")).isEqualTo("absolute");
			});
	}

	@Test
	void principalResolverWhenUserDefinedThenAutoConfigurationBacksOffAndFilterUsesIt() {
		this.contextRunner
			.withUserConfiguration(UserPrincipalResolverConfiguration.class, ClockConfiguration.class,
					EventsConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionPrincipalResolver.class)
					.doesNotHaveBean(SecurityContextPrincipalResolver.class);
				filter(context, sessionCreatedAt(FIXED.minus(Duration.ofDays(1))));
				List<SessionTimeoutEvent> events = context.getBean(EventsConfiguration.class).events;
				assertThat(events).singleElement().satisfies((event) -> {
					assertThat(event.getReason()).isEqualTo(ExpiryReason.ABSOLUTE);
					assertThat(event.getPrincipal()).isEqualTo("alice");
				});
			});
	}

	@Test
	void filterRegistrationWhenUserDefinedWithSameNameThenAutoConfigurationBacksOff() {
		this.contextRunner.withUserConfiguration(UserFilterRegistrationConfiguration.class).run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("sessionTimeoutFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.getOrder()).isEqualTo(42);
		});
	}

	@Test
	void clockWhenBeanNamedSessionTimeoutClockThenEveryDecisionUsesIt() {
		this.contextRunner.withUserConfiguration(ClockConfiguration.class).run((context) -> {
			MockHttpSession session = new MockHttpSession();
			filter(context, session);
			assertThat(session.getAttribute(SessionAttributes.CREATED_AT)).isEqualTo(FIXED.toEpochMilli());
			assertThat(session.getAttribute(SessionAttributes.LAST_ACTIVITY_AT)).isEqualTo(FIXED.toEpochMilli());
		});
	}

	@Test
	void clockWhenBeanNamedSessionTimeoutClockPassesDeadlineThenSessionEnds() {
		this.contextRunner.withUserConfiguration(ClockConfiguration.class).run((context) -> {
			MockHttpSession valid = sessionCreatedAt(FIXED.minus(Duration.ofHours(12)).plusMillis(1));
			assertThat(filter(context, valid).getStatus()).isEqualTo(HttpServletResponse.SC_OK);
			assertThat(valid.isInvalid()).isFalse();
			MockHttpSession ended = sessionCreatedAt(FIXED.minus(Duration.ofHours(12)));
			assertThat(filter(context, ended).getStatus()).isEqualTo(HttpServletResponse.SC_UNAUTHORIZED);
			assertThat(ended.isInvalid()).isTrue();
		});
	}

	@Test
	void clockWhenOnlyOtherClockBeansThenSystemClock() {
		this.contextRunner.withUserConfiguration(OtherClockConfiguration.class).run((context) -> {
			MockHttpSession session = new MockHttpSession();
			long before = System.currentTimeMillis();
			filter(context, session);
			long after = System.currentTimeMillis();
			assertThat((Long) session.getAttribute(SessionAttributes.LAST_ACTIVITY_AT)).isBetween(before, after);
		});
	}

	@Test
	void autoConfigurationWhenSpringSecurityMissingThenNoSecurityPrincipalResolver() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security")).run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionPrincipalResolver.class)
				.hasSingleBean(SessionTimeoutSettings.class)
				.hasSingleBean(SessionTimeoutFilter.class)
				.hasSingleBean(SessionTimeoutResponder.class)
				.hasBean("sessionTimeoutFilterRegistration");
			MockHttpSession session = new MockHttpSession();
			assertThat(filter(context, session).getStatus()).isEqualTo(HttpServletResponse.SC_OK);
			assertThat(session.getAttribute(SessionAttributes.CREATED_AT)).isNotNull();
		});
	}

	@Test
	void autoConfigurationWhenSpringSecurityMissingThenEndedSessionHasNoPrincipal() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withUserConfiguration(ClockConfiguration.class, EventsConfiguration.class)
			.run((context) -> {
				filter(context, sessionCreatedAt(FIXED.minus(Duration.ofDays(1))));
				assertThat(context.getBean(EventsConfiguration.class).events).singleElement()
					.satisfies((event) -> assertThat(event.getPrincipal()).isNull());
			});
	}

	@Test
	void autoConfigurationWhenSpringSessionMissingThenWorksWithIdleFromServerSessionTimeout() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.session", "org.springframework.boot.session"))
			.withPropertyValues("server.servlet.session.timeout=20m")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(PlatformSessionTimeout.class)
					.hasSingleBean(SessionTimeoutFilter.class)
					.hasBean("sessionTimeoutFilterRegistration");
				assertThat(idle(context)).isEqualTo(Duration.ofMinutes(20));
			});
	}

	@Test
	void autoConfigurationWhenSpringSessionMissingAndNoServerSessionTimeoutThenThirtyMinutes() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.session", "org.springframework.boot.session"))
			.run((context) -> assertThat(idle(context)).isEqualTo(Duration.ofMinutes(30)));
	}

	@Test
	void idleWhenServerSessionTimeoutThenDefaultIdle() {
		this.contextRunner.withPropertyValues("server.servlet.session.timeout=20m")
			.run((context) -> assertThat(idle(context)).isEqualTo(Duration.ofMinutes(20)));
	}

	@Test
	void idleWhenServerSessionTimeoutBareNumberThenSeconds() {
		this.contextRunner.withPropertyValues("server.servlet.session.timeout=1200")
			.run((context) -> assertThat(idle(context)).isEqualTo(Duration.ofMinutes(20)));
	}

	@Test
	void idleWhenServerSessionTimeoutLongerThanAbsoluteThenLoweredToAbsolute(CapturedOutput output) {
		this.contextRunner.withPropertyValues("server.servlet.session.timeout=24h", "session-timeout.absolute=8h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(idle(context)).isEqualTo(Duration.ofHours(8));
				assertThat(context.getBean(SessionTimeoutSettings.class).getNotes()).hasSize(1);
				assertThat(output.getAll().lines().filter((line) -> line.contains("session-timeout.idle defaults to")))
					.singleElement()
					.asString()
					.contains(" INFO ")
					.endsWith("session-timeout.idle defaults to 1d, longer than session-timeout.absolute=8h; using 8h");
			});
	}

	@Test
	void idleWhenSpringSessionTimeoutAndSpringSessionAutoConfigurationThenDefaultIdle() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withPropertyValues("spring.session.timeout=45m", "server.servlet.session.timeout=20m")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(PlatformSessionTimeout.class);
				assertThat(idle(context)).isEqualTo(Duration.ofMinutes(45));
			});
	}

	@Test
	void idleWhenSpringSessionAutoConfigurationWithoutSpringSessionTimeoutThenServerSessionTimeout() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withPropertyValues("server.servlet.session.timeout=20m")
			.run((context) -> assertThat(idle(context)).isEqualTo(Duration.ofMinutes(20)));
	}

	@Test
	void idleWhenSpringSessionAutoConfigurationWithoutTimeoutThenThirtyMinutes() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.run((context) -> assertThat(idle(context)).isEqualTo(Duration.ofMinutes(30)));
	}

	@Test
	void idleWhenExplicitThenPlatformTimeoutIgnored() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withPropertyValues("spring.session.timeout=45m", "session-timeout.idle=10m")
			.run((context) -> assertThat(idle(context)).isEqualTo(Duration.ofMinutes(10)));
	}

	@Test
	void bindingWhenCompoundDurationThenParsed() {
		this.contextRunner.withPropertyValues("session-timeout.absolute=1h13m3s")
			.run((context) -> assertThat(policy(context).absolute())
				.isEqualTo(Duration.ofHours(1).plusMinutes(13).plusSeconds(3)));
	}

	@Test
	void bindingWhenBareNumberThenMinutes() {
		this.contextRunner.withPropertyValues("session-timeout.idle=240")
			.run((context) -> assertThat(policy(context).idle()).isEqualTo(Duration.ofMinutes(240)));
	}

	@Test
	void bindingWhenMinusOneThenClockDisabled() {
		this.contextRunner.withPropertyValues("session-timeout.absolute=-1", "session-timeout.idle=-1")
			.run((context) -> {
				assertThat(policy(context).absolute()).isNull();
				assertThat(policy(context).idle()).isNull();
				assertThat(context.getBean(SessionTimeoutProperties.class).getAbsolute())
					.isEqualTo(SessionDurations.DISABLED);
			});
	}

	@Test
	void bindingWhenBlankThenUnset() {
		this.contextRunner.withPropertyValues("session-timeout.absolute=", "session-timeout.idle= ").run((context) -> {
			assertThat(policy(context).absolute()).isEqualTo(Duration.ofHours(12));
			assertThat(policy(context).idle()).isEqualTo(Duration.ofMinutes(30));
		});
	}

	@Test
	void bindingWhenIsoDurationThenParsed() {
		this.contextRunner.withPropertyValues("session-timeout.absolute=PT8H")
			.run((context) -> assertThat(policy(context).absolute()).isEqualTo(Duration.ofHours(8)));
	}

	@Test
	void bindingWhenEveryClockSetThenPolicyFromProperties() {
		this.contextRunner
			.withPropertyValues("session-timeout.absolute=1d12h", "session-timeout.reauthentication=8h",
					"session-timeout.idle=1h 30m", "session-timeout.privileged.max-age=0",
					"session-timeout.store-grace=0s", "session-timeout.expired-url=/signed-out?why={reason}")
			.run((context) -> {
				assertThat(policy(context)).isEqualTo(new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
						Duration.ofHours(36), Duration.ofMinutes(90), Duration.ofHours(8), Duration.ZERO));
				assertThat(context.getBean(SessionTimeoutSettings.class).getStoreGrace()).isZero();
				assertThat(context.getBean(SessionTimeoutResponder.class).getExpiredUrl())
					.isEqualTo("/signed-out?why={reason}");
			});
	}

	@Test
	void bindingWhenPresetThenPresetValues() {
		this.contextRunner.withPropertyValues("session-timeout.preset=nist-aal2").run((context) -> {
			SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
			assertThat(settings.getPreset()).isEqualTo(Preset.NIST_AAL2);
			assertThat(settings.getDefaultPolicy()).isEqualTo(Preset.NIST_AAL2.policy().withName("default"));
		});
	}

	@Test
	void bindingWhenPresetDeviationThenWeakerValueAcceptedAndDeviationKept() {
		this.contextRunner
			.withPropertyValues("session-timeout.preset=pci-dss", "session-timeout.idle=30m",
					"session-timeout.preset-deviation=Terminals in a locked room")
			.run((context) -> {
				SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
				assertThat(settings.getDefaultPolicy().idle()).isEqualTo(Duration.ofMinutes(30));
				assertThat(settings.getPresetDeviation()).isEqualTo("Terminals in a locked room");
			});
	}

	@Test
	void bindingWhenLimitsThenValuesClamped(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("session-timeout.absolute=1d", "session-timeout.limits.absolute=8h",
					"session-timeout.limits.idle=10m", "session-timeout.limits.reauthentication=4h")
			.run((context) -> {
				SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
				assertThat(settings.getLimits())
					.isEqualTo(new Limits(Duration.ofHours(8), Duration.ofMinutes(10), Duration.ofHours(4)));
				assertThat(settings.getDefaultPolicy()).isEqualTo(new SessionTimeoutPolicy("default",
						Duration.ofHours(8), Duration.ofMinutes(10), Duration.ofHours(4), Duration.ofMinutes(15)));
				assertThat(settings.getWarnings()).map(SessionTimeoutMessages::warning)
					.singleElement()
					.asString()
					.startsWith("session-timeout.absolute=1d");
				assertThat(output.getAll().lines().filter((line) -> line.contains("is above its limit")))
					.singleElement()
					.asString()
					.contains(" WARN ")
					.endsWith("session-timeout.absolute=1d is above its limit session-timeout.limits.absolute=8h;"
							+ " using 8h");
			});
	}

	@Test
	void failureWhenUnparsableDurationThenAnalysisNamesPropertyValueAndSyntax() {
		this.contextRunner.withPropertyValues("session-timeout.absolute=abc").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.absolute", "Value: \"abc\"",
					"Rule: not a session duration");
			assertThat(analysis.getAction()).contains("session-timeout.absolute: use " + SessionDurations.SYNTAX);
		});
	}

	@Test
	void failureWhenUnparsableNestedDurationThenAnalysisNamesNestedProperty() {
		this.contextRunner.withPropertyValues("session-timeout.privileged.max-age=12x").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.privileged.max-age",
					"Value: \"12x\"");
		});
	}

	@Test
	void failureWhenPassivePathIsNotAPatternThenAnalysisNamesTheIndexedProperty() {
		this.contextRunner.withPropertyValues("session-timeout.activity.passive-paths=/api/poll,/api/{*rest}/x")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.activity.passive-paths[1]",
						"Value: \"/api/{*rest}/x\"", "Rule: not a path pattern");
				assertThat(analysis.getAction()).contains("use a pattern such as /api/poll");
			});
	}

	@Test
	void statusControllerWhenDefaultThenRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SessionStatusController.class));
	}

	@Test
	void statusControllerWhenDisabledThenAbsent() {
		this.contextRunner.withPropertyValues("session-timeout.status.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionStatusController.class)
				.hasSingleBean(SessionTimeoutFilter.class));
	}

	@Test
	void statusControllerWhenUserDefinesOneThenBacksOff() {
		this.contextRunner
			.withBean("myStatus", SessionStatusController.class, () -> mock(SessionStatusController.class))
			.run((context) -> assertThat(context).getBeanNames(SessionStatusController.class)
				.containsExactly("myStatus"));
	}

	@Test
	void scriptWhenDefaultThenServedOnItsPathAheadOfSpringSessionAndTheSessionTimeoutFilter() {
		this.contextRunner.run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("sessionTimeoutScriptFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(SessionTimeoutScriptFilter.class);
			assertThat(registration.getUrlPatterns()).containsExactly("/session-timeout/session-timeout.js");
			assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
			assertThat(registration.getOrder()).isLessThan(Integer.MIN_VALUE + 50)
				.isLessThan(SessionTimeoutFilter.DEFAULT_ORDER);
			MockHttpServletRequest request = new MockHttpServletRequest("GET", "/session-timeout/session-timeout.js");
			MockHttpServletResponse response = new MockHttpServletResponse();
			registration.getFilter().doFilter(request, response, new MockFilterChain());
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getContentType()).isEqualTo("text/javascript;charset=UTF-8");
			assertThat(response.getContentAsString()).contains("customElements.define(TAG, SessionTimeoutBanner)");
			assertThat(request.getSession(false)).isNull();
		});
	}

	@Test
	void scriptWhenDisabledThenNotServed() {
		this.contextRunner.withPropertyValues("session-timeout.script.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("sessionTimeoutScriptFilterRegistration")
				.hasBean("sessionTimeoutFilterRegistration")
				.hasSingleBean(SessionStatusController.class));
	}

	@Test
	void scriptWhenSessionTimeoutDisabledThenNotServed() {
		this.contextRunner.withPropertyValues("session-timeout.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("sessionTimeoutScriptFilterRegistration"));
	}

	@Test
	void scriptFilterRegistrationWhenUserDefinedWithSameNameThenAutoConfigurationBacksOff() {
		this.contextRunner.withUserConfiguration(UserScriptFilterRegistrationConfiguration.class).run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("sessionTimeoutScriptFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.isEnabled()).isFalse();
			assertThat(context).getBeans(FilterRegistrationBean.class).hasSize(2);
		});
	}

	@Test
	void authenticationListenerWhenSpringSecurityPresentThenRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasBean("sessionTimeoutAuthenticationRecorder"));
	}

	@Test
	void authenticationListenerWhenSpringSecurityAbsentThenAbsent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("sessionTimeoutAuthenticationRecorder")
				.hasSingleBean(SessionStatusController.class));
	}

	@Test
	void sessionRegistryListenerWhenRegistryPresentThenRegistered() {
		this.contextRunner.withBean(SessionRegistry.class, SessionRegistryImpl::new)
			.run((context) -> assertThat(context).hasSingleBean(SessionRegistryEndListener.class));
	}

	@Test
	void sessionRegistryListenerWhenNoRegistryThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionRegistryEndListener.class));
	}

	@Test
	void contextWhenPassivePathsAreValidPatternsThenStarts() {
		this.contextRunner.withPropertyValues("session-timeout.activity.passive-paths=/api/poll/**")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SessionTimeoutFilter.class));
	}

	@Test
	void failureWhenZeroIdleThenAnalysisNamesPropertyValueRuleAndFix() {
		this.contextRunner.withPropertyValues("session-timeout.idle=0").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"0\"",
					"Rule: 0 is allowed only for the privileged age");
			assertThat(analysis.getAction())
				.contains("session-timeout.idle: use a positive duration, or -1 to disable the clock");
		});
	}

	@Test
	void failureWhenNegativeThenAnalysisNamesPropertyValueRuleAndFix() {
		this.contextRunner.withPropertyValues("session-timeout.reauthentication=-30m").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.reauthentication",
					"Value: \"-30m\"", "Rule: a duration must not be negative");
			assertThat(analysis.getAction()).contains("session-timeout.reauthentication: use a positive duration");
		});
	}

	@Test
	void failureWhenOrderingViolatedThenAnalysisNamesBothPropertiesAndFix() {
		this.contextRunner.withPropertyValues("session-timeout.absolute=1h", "session-timeout.idle=2h")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"2h\"",
						"Rule: idle must not be longer than absolute, session-timeout.absolute=1h");
				assertThat(analysis.getAction())
					.contains("session-timeout.idle: shorten session-timeout.idle to at most 1h,"
							+ " or set session-timeout.absolute to at least 2h");
			});
	}

	@Test
	void failureWhenExplicitLongerThanDefaultThenAnalysisNamesTheDefault() {
		this.contextRunner.withPropertyValues("session-timeout.idle=24h").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"1d\"",
					"session-timeout.absolute=12h (its default)");
		});
	}

	@Test
	void failureWhenWeakerThanPresetThenAnalysisNamesPresetAndDeviation() {
		this.contextRunner.withPropertyValues("session-timeout.preset=pci-dss", "session-timeout.idle=30m")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"30m\"",
						"Rule: weaker than preset pci-dss, which sets 15m");
				assertThat(analysis.getAction()).contains("session-timeout.idle: use at most 15m",
						"session-timeout.preset-deviation");
			});
	}

	@Test
	void failureWhenBlankPresetDeviationThenStillWeakerThanPreset() {
		this.contextRunner
			.withPropertyValues("session-timeout.preset=pci-dss", "session-timeout.idle=30m",
					"session-timeout.preset-deviation= ")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("weaker than preset pci-dss"));
	}

	@Test
	void failureWhenBadLimitThenAnalysisNamesLimit() {
		this.contextRunner.withPropertyValues("session-timeout.limits.idle=0").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.limits.idle", "Value: \"0s\"",
					"Rule: a limit must be positive");
			assertThat(analysis.getAction()).contains("session-timeout.limits.idle: use a positive duration");
		});
	}

	@Test
	void failureWhenNegativeStoreGraceThenAnalysisNamesStoreGrace() {
		this.contextRunner.withPropertyValues("session-timeout.store-grace=-5s").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.store-grace", "Value: \"-5s\"",
					"Rule: the store grace must not be negative");
		});
	}

	@Test
	void failureWhenSeveralViolationsThenAnalysisNamesEach() {
		this.contextRunner
			.withPropertyValues("session-timeout.absolute=0", "session-timeout.idle=-5m",
					"session-timeout.limits.absolute=-1h")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.absolute",
						"Property: session-timeout.idle", "Property: session-timeout.limits.absolute");
				assertThat(analysis.getAction()).contains("session-timeout.absolute:", "session-timeout.idle:",
						"session-timeout.limits.absolute:");
			});
	}

	@Test
	void failureWhenUnknownPresetThenLeftToSpringBoot() {
		this.contextRunner.withPropertyValues("session-timeout.preset=nist-aal9").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(new SessionTimeoutFailureAnalyzer(null).analyze(context.getStartupFailure())).isNull();
		});
	}

	@Test
	void policiesWhenBoundFromPropertiesThenResolvedInListOrder() {
		this.contextRunner.withPropertyValues("session-timeout.policies[0].name=administrators",
				"session-timeout.policies[0].authorities=ROLE_ADMIN,ROLE_ROOT",
				"session-timeout.policies[0].absolute=1h", "session-timeout.policies[0].idle=10",
				"session-timeout.policies[0].privileged-max-age=5m",
				"session-timeout.policies[0].cookie-persistent=false", "session-timeout.policies[1].name=remember-me",
				"session-timeout.policies[1].remember-me=true", "session-timeout.policies[1].absolute=30d",
				"session-timeout.policies[1].idle=90", "session-timeout.policies[1].reauthentication=-1",
				"session-timeout.policies[1].cookie-persistent=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
				assertThat(settings.getPolicies()).hasSize(2);
				PolicyRule administrators = settings.getPolicies().get(0);
				assertThat(administrators.policy()).isEqualTo(new SessionTimeoutPolicy("administrators",
						Duration.ofHours(1), Duration.ofMinutes(10), null, Duration.ofMinutes(5), false));
				assertThat(administrators.authorities()).containsExactlyInAnyOrder("ROLE_ADMIN", "ROLE_ROOT");
				assertThat(administrators.rememberMe()).isNull();
				PolicyRule rememberMe = settings.getPolicies().get(1);
				assertThat(rememberMe.policy()).isEqualTo(new SessionTimeoutPolicy("remember-me", Duration.ofDays(30),
						Duration.ofMinutes(90), null, Duration.ofMinutes(15), true));
				assertThat(rememberMe.authorities()).isEmpty();
				assertThat(rememberMe.rememberMe()).isTrue();
				assertThat(settings.policyFor(List.of("ROLE_ROOT"), true).name()).isEqualTo("administrators");
				assertThat(settings.policyFor(List.of("ROLE_USER"), true).name()).isEqualTo("remember-me");
				assertThat(settings.policyFor(List.of("ROLE_USER"), false).name())
					.isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME);
			});
	}

	@Test
	void policiesWhenIndexedAuthoritiesThenBound() {
		this.contextRunner
			.withPropertyValues("session-timeout.policies[0].name=operators",
					"session-timeout.policies[0].authorities[0]=ROLE_OPERATOR",
					"session-timeout.policies[0].authorities[1]=SCOPE_operate",
					"session-timeout.policies[0].remember-me=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				PolicyRule operators = context.getBean(SessionTimeoutSettings.class).getPolicies().get(0);
				assertThat(operators.authorities()).containsExactlyInAnyOrder("ROLE_OPERATOR", "SCOPE_operate");
				assertThat(operators.rememberMe()).isFalse();
				assertThat(operators.policy()).isEqualTo(policy(context).withName("operators"));
			});
	}

	@Test
	void policiesWhenUnsetValuesThenInheritGlobalsFromPresetAndLimits() {
		this.contextRunner
			.withPropertyValues("session-timeout.preset=owasp-low-risk", "session-timeout.limits.absolute=6h",
					"session-timeout.policies[0].name=administrators",
					"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[0].idle=5m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionTimeoutSettings.class).getPolicies().get(0).policy())
					.isEqualTo(new SessionTimeoutPolicy("administrators", Duration.ofHours(6), Duration.ofMinutes(5),
							Duration.ofHours(6), Duration.ofMinutes(15)));
			});
	}

	@Test
	void policiesWhenValueAboveLimitThenClampedWithWarning() {
		this.contextRunner
			.withPropertyValues("session-timeout.limits.absolute=8h", "session-timeout.policies[0].name=remember-me",
					"session-timeout.policies[0].remember-me=true", "session-timeout.policies[0].absolute=30d")
			.run((context) -> {
				SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
				assertThat(settings.getPolicies().get(0).policy().absolute()).isEqualTo(Duration.ofHours(8));
				assertThat(settings.getWarnings()).map(SessionTimeoutMessages::warning)
					.containsExactly("session-timeout.policies[0].absolute=30d is above"
							+ " its limit session-timeout.limits.absolute=8h; using 8h");
			});
	}

	@Test
	void cookiePersistentWhenSetGloballyThenDefaultPolicyAndPoliciesInheritIt() {
		this.contextRunner.withPropertyValues("session-timeout.cookie.persistent=true",
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[1].name=terminals", "session-timeout.policies[1].authorities=ROLE_TERMINAL",
				"session-timeout.policies[1].cookie-persistent=false")
			.run((context) -> {
				SessionTimeoutSettings settings = context.getBean(SessionTimeoutSettings.class);
				assertThat(settings.getDefaultPolicy().cookiePersistent()).isTrue();
				assertThat(settings.getPolicies()).extracting((rule) -> rule.policy().cookiePersistent())
					.containsExactly(true, false);
			});
	}

	@Test
	void cookiePersistentWhenUnsetThenBrowserSessionCookie() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(SessionTimeoutProperties.class).getCookie().isPersistent()).isFalse();
			assertThat(policy(context).cookiePersistent()).isFalse();
		});
	}

	@Test
	void failureWhenPolicyOrderingViolatedThenAnalysisNamesPolicyPropertyValueRuleAndFix() {
		this.contextRunner
			.withPropertyValues("session-timeout.policies[0].name=administrators",
					"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[0].absolute=1h",
					"session-timeout.policies[0].idle=2h")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].idle",
						"Value: \"2h\"", "Rule: in policy 'administrators', idle must not be longer than absolute,"
								+ " session-timeout.policies[0].absolute=1h");
				assertThat(analysis.getAction()).contains("session-timeout.policies[0].idle: shorten"
						+ " session-timeout.policies[0].idle to at most 1h, or set session-timeout.policies[0].absolute"
						+ " to at least 2h");
			});
	}

	@Test
	void failureWhenPolicyHasNoNameNorConditionThenAnalysisNamesEach() {
		this.contextRunner.withPropertyValues("session-timeout.policies[0].absolute=1h").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].name",
					"Rule: every policy needs a name", "Property: session-timeout.policies[0].authorities",
					"Rule: a policy must say which authentications it applies to");
			assertThat(analysis.getAction()).contains("session-timeout.policies[0].name: name the policy",
					"session-timeout.policies[0].authorities: set session-timeout.policies[0].authorities");
		});
	}

	@Test
	void failureWhenPolicyNamedDefaultThenAnalysisSaysItIsTheGlobalPolicy() {
		this.contextRunner
			.withPropertyValues("session-timeout.policies[0].name=default",
					"session-timeout.policies[0].authorities=ROLE_ADMIN")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Property: session-timeout.policies[0].name", "Value: \"default\"",
					"Rule: policy names must be unique and default is the name of the global values"));
	}

	@Test
	void failureWhenPolicyNamesRepeatThenAnalysisNamesTheSecond() {
		this.contextRunner
			.withPropertyValues("session-timeout.policies[0].name=staff",
					"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[1].name=staff",
					"session-timeout.policies[1].remember-me=true")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Property: session-timeout.policies[1].name", "Value: \"staff\"",
					"Rule: policy names must be unique"));
	}

	@Test
	void failureWhenPolicyAuthorityBlankThenAnalysisNamesTheEntry() {
		this.contextRunner.withPropertyValues("session-timeout.policies[0].name=administrators",
				"session-timeout.policies[0].authorities[0]=ROLE_ADMIN", "session-timeout.policies[0].authorities[1]= ")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].authorities[1]",
						"Rule: in policy 'administrators', an authority must not be blank");
			});
	}

	@Test
	void failureWhenPolicyWeakerThanPresetThenAnalysisNamesPresetAndDeviation() {
		this.contextRunner
			.withPropertyValues("session-timeout.preset=pci-dss", "session-timeout.policies[0].name=remember-me",
					"session-timeout.policies[0].remember-me=true", "session-timeout.policies[0].idle=1h")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].idle",
						"Value: \"1h\"", "Rule: in policy 'remember-me', weaker than preset pci-dss, which sets 15m");
				assertThat(analysis.getAction()).contains("session-timeout.policies[0].idle: use at most 15m",
						"session-timeout.preset-deviation");
			});
	}

	@Test
	void policiesWhenWeakerThanPresetWithDeviationThenAccepted() {
		this.contextRunner
			.withPropertyValues("session-timeout.preset=pci-dss",
					"session-timeout.preset-deviation=Remember-me only on managed devices",
					"session-timeout.policies[0].name=remember-me", "session-timeout.policies[0].remember-me=true",
					"session-timeout.policies[0].idle=1h")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionTimeoutSettings.class).getPolicies().get(0).policy().idle())
					.isEqualTo(Duration.ofHours(1));
			});
	}

	@Test
	void failureWhenPolicyDurationUnparsableThenAnalysisNamesPolicyProperty() {
		this.contextRunner
			.withPropertyValues("session-timeout.policies[0].name=administrators",
					"session-timeout.policies[0].authorities=ROLE_ADMIN",
					"session-timeout.policies[0].privileged-max-age=soon")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(
						"Property: session-timeout.policies[0].privileged-max-age", "Value: \"soon\"",
						"Rule: not a session duration");
			});
	}

	@Test
	void failureWhenPrivilegedPathIsNotAPatternThenAnalysisNamesTheIndexedProperty() {
		this.contextRunner.withPropertyValues("session-timeout.privileged.paths=/account/{*rest}/password")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("Property: session-timeout.privileged.paths[0]",
						"Value: \"/account/{*rest}/password\"", "Rule: not a path pattern");
				assertThat(analysis.getAction())
					.contains("session-timeout.privileged.paths[0]: use a pattern such as /api/poll or /account/**");
			});
	}

	@Test
	void privilegedPathsWhenValidPatternsThenStarts() {
		this.contextRunner.withPropertyValues("session-timeout.privileged.paths=/account/password/**,/admin/**")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionTimeoutProperties.class).getPrivileged().getPaths())
					.containsExactly("/account/password/**", "/admin/**");
			});
	}

	@Test
	void securityBeansWhenSpringSecurityPresentThenRegistered() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SecuritySessionAuthenticationSupport.class)
				.hasSingleBean(SessionAuthenticationRecorder.class)
				.hasSingleBean(StepUpSessionAuthenticationStrategy.class)
				.hasSingleBean(PrivilegedSessionExceptionResolver.class)
				.hasSingleBean(OidcLoginFlow.class)
				.hasSingleBean(OidcStepUpAuthorizationRequestCustomizer.class)
				.hasBean("sessionTimeoutHttpSecurityCustomizer")
				.doesNotHaveBean(OAuth2AuthorizationRequestResolver.class);
			assertThat(context.getBean("sessionTimeoutHttpSecurityCustomizer")).isInstanceOf(Customizer.class);
			assertThat(context.getBean("sessionTimeoutPrivilegedSessionInterceptor")).isInstanceOfSatisfying(
					AuthorizationManagerBeforeMethodInterceptor.class,
					(interceptor) -> assertThat(interceptor.getPointcut())
						.isInstanceOf(RequiresPrivilegedSessionPointcut.class));
			assertThat(
					context.getBeanFactory().getBeanDefinition("sessionTimeoutPrivilegedSessionInterceptor").getRole())
				.isEqualTo(BeanDefinition.ROLE_INFRASTRUCTURE);
		});
	}

	@Test
	void securityBeansWhenSpringSecurityMissingThenAbsentAndContextStarts() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("session-timeout.privileged.paths=/account/password/**")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(SessionTimeoutFilter.class);
				for (String name : SECURITY_BEANS) {
					assertThat(context).doesNotHaveBean(name);
				}
				for (String name : OAUTH2_BEANS) {
					assertThat(context).doesNotHaveBean(name);
				}
			});
	}

	@Test
	void oauth2BeansWhenOAuth2ClientMissingThenAbsentAndOtherSecurityBeansPresent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security.oauth2"))
			.withBean(ClientRegistrationRepository.class, SessionTimeoutAutoConfigurationTests::clientRegistrations)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (String name : SECURITY_BEANS) {
					assertThat(context).hasBean(name);
				}
				for (String name : OAUTH2_BEANS) {
					assertThat(context).doesNotHaveBean(name);
				}
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenClientRegistrationsThenAsksForFreshLoginOnPendingChallenge() {
		this.contextRunner
			.withBean(ClientRegistrationRepository.class, SessionTimeoutAutoConfigurationTests::clientRegistrations)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(OAuth2AuthorizationRequestResolver.class)
					.hasBean("sessionTimeoutOAuth2AuthorizationRequestResolver");
				OAuth2AuthorizationRequestResolver resolver = context.getBean(OAuth2AuthorizationRequestResolver.class);
				MockHttpServletRequest plain = new MockHttpServletRequest("GET", "/oauth2/authorization/idp");
				plain.setSession(new MockHttpSession());
				assertThat(resolve(resolver, plain).getAdditionalParameters()).doesNotContainKeys("prompt", "max_age");
				MockHttpServletRequest stepUp = new MockHttpServletRequest("GET", "/oauth2/authorization/idp");
				MockHttpSession session = new MockHttpSession();
				session.setAttribute(SessionAttributes.CHALLENGE,
						new PendingChallenge(ExpiryReason.PRIVILEGED, Duration.ofMinutes(5), FIXED, "alice").encode());
				stepUp.setSession(session);
				assertThat(resolve(resolver, stepUp).getAdditionalParameters()).containsEntry("prompt", "login")
					.containsEntry("max_age", "300");
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenUserDefinedThenAutoConfigurationBacksOff() {
		this.contextRunner
			.withBean(ClientRegistrationRepository.class, SessionTimeoutAutoConfigurationTests::clientRegistrations)
			.withBean("userAuthorizationRequestResolver", OAuth2AuthorizationRequestResolver.class,
					() -> mock(OAuth2AuthorizationRequestResolver.class))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean("sessionTimeoutOAuth2AuthorizationRequestResolver")
					.hasSingleBean(OidcStepUpAuthorizationRequestCustomizer.class);
				assertThat(context).getBeanNames(OAuth2AuthorizationRequestResolver.class)
					.containsExactly("userAuthorizationRequestResolver");
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenNoClientRegistrationsThenAbsent() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean("sessionTimeoutOAuth2AuthorizationRequestResolver"));
	}

	@Test
	void privilegedAnnotationWhenMaxAgeNotADurationThenStartupFailsWithReportNamingMethodAndFix() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(UnparsableMaxAgeService.class)
			.run((context) -> {
				assertThat(context).getFailure().hasRootCauseInstanceOf(InvalidSessionDurationException.class);
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(
						"Method: " + UnparsableMaxAgeService.class.getName() + ".transfer()",
						"Attribute: @RequiresPrivilegedSession(maxAge)", "Value: \"soon\"",
						"Rule: not a session duration");
				assertThat(analysis.getAction()).startsWith("Update your application's code:")
					.contains("@RequiresPrivilegedSession(maxAge) on " + UnparsableMaxAgeService.class.getName()
							+ ".transfer(): use a duration of zero or more");
			});
	}

	@Test
	void privilegedAnnotationWhenMaxAgeNegativeThenStartupFailsWithReport() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(NegativeMaxAgeService.class)
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Method: " + NegativeMaxAgeService.class.getName() + ".transfer()", "Value: \"-5m\"",
					"Rule: a maximum age must not be negative"));
	}

	@Test
	void privilegedAnnotationWhenMaxAgeValidThenBeanProxied() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(ValidMaxAgeService.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(AopUtils.isAopProxy(context.getBean(ValidMaxAgeService.class))).isTrue();
			});
	}

	@Test
	void privilegedAnnotationWhenOutsideRequestThenNewestFactorMustBeYoungerThanMaxAge() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withUserConfiguration(ClockConfiguration.class)
			.withBean(ValidMaxAgeService.class)
			.run((context) -> {
				ValidMaxAgeService service = context.getBean(ValidMaxAgeService.class);
				try {
					authenticateWithPasswordAt(FIXED.minus(Duration.ofMinutes(5)).plusMillis(1));
					assertThat(service.transfer()).isEqualTo("transferred");
					authenticateWithPasswordAt(FIXED.minus(Duration.ofMinutes(5)));
					assertThatExceptionOfType(AccessDeniedException.class).isThrownBy(service::transfer);
					assertThat(service.balance()).isEqualTo("balance");
					SecurityContextHolder.clearContext();
					assertThatExceptionOfType(AuthenticationCredentialsNotFoundException.class)
						.isThrownBy(service::transfer);
				}
				finally {
					SecurityContextHolder.clearContext();
				}
			});
	}

	@Test
	void httpSecurityCustomizerWhenSecurityConfigMissingThenAbsentAndOtherSecurityBeansPresent() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security.config"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean("sessionTimeoutHttpSecurityCustomizer")
					.hasBean("sessionTimeoutStepUpSessionAuthenticationStrategy")
					.hasBean("sessionTimeoutPrivilegedSessionInterceptor");
			});
	}

	@Test
	void oauth2AuthorizationRequestResolverWhenClientRegistrationsFromSpringBootThenRegistered() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class))
			.withPropertyValues("spring.security.oauth2.client.registration.idp.client-id=client",
					"spring.security.oauth2.client.registration.idp.client-secret=secret",
					"spring.security.oauth2.client.registration.idp.scope=openid",
					"spring.security.oauth2.client.registration.idp.authorization-grant-type=authorization_code",
					"spring.security.oauth2.client.registration.idp.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
					"spring.security.oauth2.client.provider.idp.authorization-uri=https://idp.example.com/authorize",
					"spring.security.oauth2.client.provider.idp.token-uri=https://idp.example.com/token",
					"spring.security.oauth2.client.provider.idp.jwk-set-uri=https://idp.example.com/jwks")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ClientRegistrationRepository.class)
				.hasBean("sessionTimeoutOAuth2AuthorizationRequestResolver"));
	}

	private static void authenticateWithPasswordAt(Instant issuedAt) {
		FactorGrantedAuthority password = FactorGrantedAuthority
			.withAuthority(FactorGrantedAuthority.PASSWORD_AUTHORITY)
			.issuedAt(issuedAt)
			.build();
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of(password)));
	}

	private static OAuth2AuthorizationRequest resolve(OAuth2AuthorizationRequestResolver resolver,
			MockHttpServletRequest request) {
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		try {
			OAuth2AuthorizationRequest authorizationRequest = resolver.resolve(request);
			assertThat(authorizationRequest).isNotNull();
			return authorizationRequest;
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
	}

	private static ClientRegistrationRepository clientRegistrations() {
		return new InMemoryClientRegistrationRepository(ClientRegistration.withRegistrationId("idp")
			.clientId("client")
			.clientSecret("secret")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope("openid")
			.authorizationUri("https://idp.example.com/authorize")
			.tokenUri("https://idp.example.com/token")
			.jwkSetUri("https://idp.example.com/jwks")
			.build());
	}

	private static FailureAnalysis analyze(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new SessionTimeoutFailureAnalyzer(null).analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("The session-timeout configuration is invalid:");
		assertThat(analysis.getCause()).isSameAs(context.getStartupFailure());
		return analysis;
	}

	private static SessionTimeoutPolicy policy(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(SessionTimeoutSettings.class).getDefaultPolicy();
	}

	private static Duration idle(AssertableWebApplicationContext context) {
		return policy(context).idle();
	}

	private static MockHttpSession sessionCreatedAt(Instant createdAt) {
		MockHttpSession session = new MockHttpSession();
		session.setAttribute(SessionAttributes.CREATED_AT, createdAt.toEpochMilli());
		session.setAttribute(SessionAttributes.LAST_ACTIVITY_AT, FIXED.toEpochMilli());
		return session;
	}

	private static MockHttpServletResponse filter(AssertableWebApplicationContext context, MockHttpSession session)
			throws ServletException, IOException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/account");
		request.setSession(session);
		MockHttpServletResponse response = new MockHttpServletResponse();
		context.getBean(SessionTimeoutFilter.class).doFilter(request, response, new MockFilterChain());
		return response;
	}

	@Configuration(proxyBeanMethods = false)
	static class ClockConfiguration {

		@Bean
		Clock sessionTimeoutClock() {
			return Clock.fixed(FIXED, ZoneOffset.UTC);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherClockConfiguration {

		@Bean
		Clock applicationClock() {
			return Clock.fixed(FIXED, ZoneOffset.UTC);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSettingsConfiguration {

		final SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(1))
			.storeGrace(Duration.ZERO)
			.build();

		@Bean
		SessionTimeoutSettings userSessionTimeoutSettings() {
			return this.settings;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilterConfiguration {

		final SessionTimeoutFilter filter = mock(SessionTimeoutFilter.class);

		@Bean
		SessionTimeoutFilter userSessionTimeoutFilter() {
			return this.filter;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserResponderConfiguration {

		static final int STATUS = 419;

		@Bean
		SessionTimeoutResponder userSessionTimeoutResponder() {
			return new SessionTimeoutResponder("/signed-out") {

				@Override
				public void respond(HttpServletRequest request, HttpServletResponse response, ExpiryReason reason) {
					response.setStatus(STATUS);
					response.setHeader("X-Reason", reason.value());
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPrincipalResolverConfiguration {

		@Bean
		SessionPrincipalResolver userSessionPrincipalResolver() {
			return (session) -> "alice";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFilterRegistrationConfiguration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(42);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserScriptFilterRegistrationConfiguration {

		@Bean
		FilterRegistrationBean<Filter> sessionTimeoutScriptFilterRegistration() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
					(request, response, chain) -> chain.doFilter(request, response));
			registration.setEnabled(false);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventsConfiguration {

		final List<SessionTimeoutEvent> events = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<SessionTimeoutEvent> sessionTimeoutEventRecorder() {
			return this.events::add;
		}

	}

	static class UnparsableMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "soon")
		public void transfer() {
		}

	}

	static class NegativeMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "-5m")
		public void transfer() {
		}

	}

	static class ValidMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "5m")
		public String transfer() {
			return "transferred";
		}

		public String balance() {
			return "balance";
		}

	}

}
