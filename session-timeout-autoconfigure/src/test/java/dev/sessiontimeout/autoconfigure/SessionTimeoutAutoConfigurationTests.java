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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.time.ZoneOffset;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.util.ClassUtils;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.SessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.autoconfigure.FixedClockRequests.FixedClockConfiguration;
import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.autoconfigure.SessionTimeoutAutoConfiguration.PlatformSessionTimeout;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.session.UserSessionIndex;
import dev.sessiontimeout.internal.users.UserSessionsController;
import dev.sessiontimeout.internal.web.SessionStatusController;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

import static dev.sessiontimeout.autoconfigure.FixedClockRequests.FIXED;
import static dev.sessiontimeout.autoconfigure.FixedClockRequests.filter;
import static dev.sessiontimeout.autoconfigure.FixedClockRequests.sessionCreatedAt;
import org.assertj.core.api.InstanceOfAssertFactories;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.BDDMockito.mock;

/**
 * Tests for {@link SessionTimeoutAutoConfiguration}: the beans it registers, where it
 * backs off, the clock, the platform's session timeout and what it serves.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionTimeoutAutoConfigurationTests {

	private static final String UNCHECKED_PAYOUT_METHODS = "2 @RequiresPrivilegedSession methods, such as "
			+ PayoutService.class.getName() + ".";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class, SessionTimeoutOAuth2ClientAutoConfiguration.class));

	@Test
	void autoConfigurationWhenSpringBoot3RedisSessionPropertyThenWarnsThatItIsIgnored(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.session.redis.repository-type=indexed").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("spring.session.redis.* is a Spring Boot 3 name that Spring Boot 4 ignores: "
					+ "use spring.session.data.redis.*");
		});
	}

	@Test
	void autoConfigurationWhenMisspeltPropertyThenWarnsThatItIsIgnored(CapturedOutput output) {
		// a typo of session-timeout.idle must not leave the default idle timeout in
		// silence
		this.contextRunner
			.withPropertyValues("session-timeout.idel=5m", "session-timeout.policies[0].name=staff",
					"session-timeout.policies[0].authorities=ROLE_STAFF", "session-timeout.policies[0].absolut=1h",
					"session-timeout.frobnicate=1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output)
					.contains("session-timeout.idel is no property of session-timeout and is ignored:"
							+ " did you mean session-timeout.idle?")
					.contains("session-timeout.policies[0].absolut is no property of session-timeout and is ignored:"
							+ " did you mean session-timeout.policies[0].absolute?")
					.contains("session-timeout.frobnicate is no property of session-timeout and is ignored:"
							+ " check its spelling");
			});
	}

	@Test
	void autoConfigurationWhenEveryKindOfPropertyIsSetThenNoUnknownPropertyWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("session-timeout.enabled=true", "session-timeout.absolute=8h",
					"session-timeout.idle=1h13m3s", "session-timeout.reauthentication=4h",
					"session-timeout.privileged.max-age=10m", "session-timeout.privileged.paths[0]=/a/**",
					"session-timeout.privileged.paths[1]=/b/**", "session-timeout.privileged.acr-values=urn:x",
					"session-timeout.activity.passive-paths=/p/**,/q", "session-timeout.status.path=/s",
					"session-timeout.sessions.record-ip=true", "session-timeout.script.enabled=true",
					"session-timeout.cookie.persistent=false", "session-timeout.logging.principal=hash",
					"session-timeout.oauth2.callback-time-as-authentication-time=false",
					"session-timeout.limits.absolute=1d", "session-timeout.store-grace=30s",
					"session-timeout.responseCheckInterval=5s", "session-timeout.watch-streamed-responses=true",
					"session-timeout.expired-url=/login?expired={reason}", "session-timeout.policies[0].name=staff",
					"session-timeout.policies[0].authorities[0]=ROLE_STAFF", "session-timeout.policies[0].idle=10m",
					"session-timeout.policies[0].privileged-max-age=5m",
					"session-timeout.policies[0].cookie-persistent=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("is no property of session-timeout");
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

	/**
	 * Without an absolute deadline an entry of the index in memory has no end: the
	 * entries of a user's sessions that ended were kept, one more per login, for as long
	 * as the application runs, unless someone looked the user's sessions up.
	 */
	@Test
	void userSessionIndexWhenMapRepositoryThenALoginForgetsTheUsersEndedSessionsWithoutEnd() {
		MapSessionRepository repository = new MapSessionRepository(new HashMap<>());
		this.contextRunner.withBean("sessionRepository", MapSessionRepository.class, () -> repository)
			.run((context) -> {
				UserSessionIndex index = context.getBean(UserSessionIndex.class);
				MapSession live = repository.createSession();
				repository.save(live);
				Instant now = Instant.now();
				index.add("alice", "ended", null, now.minus(Duration.ofDays(2)));
				index.add("alice", live.getId(), null, now.minus(Duration.ofDays(1)));
				index.add("alice", "still-being-saved", null, now.minusSeconds(30));
				index.add("alice", "this-login", null, now);
				assertThat(index.sessions("alice", now).keySet()).containsExactlyInAnyOrder(live.getId(),
						"still-being-saved", "this-login");
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
	void autoConfigurationWhenDefaultsThenFilterRegisteredAfterSpringSessionOnRequestsAsyncAndErrorDispatches() {
		this.contextRunner.run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("sessionTimeoutFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isSameAs(context.getBean(SessionTimeoutFilter.class));
			assertThat(registration.getOrder()).isEqualTo(SessionTimeoutFilter.DEFAULT_ORDER);
			assertThat(registration.determineDispatcherTypes()).containsExactlyInAnyOrder(DispatcherType.ASYNC,
					DispatcherType.ERROR, DispatcherType.REQUEST);
			assertThat(SessionTimeoutFilter.DEFAULT_ORDER).isGreaterThan(Integer.MIN_VALUE + 50).isLessThan(-100);
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

	/**
	 * {@code session-timeout.enabled=false} turns the checks of
	 * {@code @RequiresPrivilegedSession} methods off with the rest: one WARN at startup
	 * says so, naming the property, how many methods and one of them, rather than let
	 * them run unchecked in silence. Every auto-configuration the starter ships runs, as
	 * in an application.
	 */
	@Test
	void autoConfigurationWhenDisabledAndPrivilegedMethodsExistThenWarnsOnceThatTheyRunUnchecked(
			CapturedOutput output) {
		WebApplicationContextRunner runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(starterAutoConfigurations()))
			.withBean(PayoutService.class);
		runner.withPropertyValues("session-timeout.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(SessionTimeoutProperties.class);
			assertThat(output.toString()).containsOnlyOnce(UNCHECKED_PAYOUT_METHODS)
				.contains("session-timeout.enabled=false");
			assertThat(output.toString().lines().filter((line) -> line.contains(UNCHECKED_PAYOUT_METHODS)))
				.singleElement()
				.asString()
				.contains("WARN")
				.endsWith("; remove the property to check them");
		});
		int length = output.toString().length();
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output.toString().substring(length))
				.doesNotContain("@RequiresPrivilegedSession methods, such as");
		});
	}

	/**
	 * Return a runner of a non-web application with every auto-configuration the starter
	 * ships, as in an application.
	 */
	private static ApplicationContextRunner nonWebContextRunner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(starterAutoConfigurations()));
	}

	private static Class<?>[] starterAutoConfigurations() {
		return ImportCandidates.load(AutoConfiguration.class, null)
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith("dev.sessiontimeout."))
			.map((name) -> ClassUtils.resolveClassName(name, null))
			.toArray(Class<?>[]::new);
	}

	static class PayoutService {

		@RequiresPrivilegedSession
		public void payOut(int amount) {
		}

		@RequiresPrivilegedSession(maxAge = "5m")
		public void closeAccount() {
		}

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

	/**
	 * A non-web application is left alone, as Spring Boot's own web auto-configurations
	 * leave it, but not in silence: one WARN names the session-timeout properties it
	 * sets, which do nothing and are not checked.
	 */
	@Test
	void autoConfigurationWhenNotAWebApplicationAndPropertiesSetThenStartsAndWarnsOnce(CapturedOutput output) {
		nonWebContextRunner()
			.withPropertyValues("session-timeout.idle=banana", "session-timeout.absolute=0",
					"session-timeout.policies[0].name=staff")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(SessionTimeoutSettings.class)
					.doesNotHaveBean(SessionTimeoutFilter.class);
				String warning = "session-timeout.absolute, session-timeout.idle, session-timeout.policies[0].name"
						+ " are set, but this is no web application: session-timeout applies to servlet and"
						+ " WebFlux applications only, so it does nothing here and checks none of their values";
				assertThat(output.getOut().lines().filter((line) -> line.contains(warning)))
					.singleElement(InstanceOfAssertFactories.STRING)
					.contains("WARN");
			});
	}

	@Test
	void autoConfigurationWhenNotAWebApplicationAndOnePropertySetThenWarnsOfIt(CapturedOutput output) {
		nonWebContextRunner().withPropertyValues("session-timeout.enabled=true", "session-timeout.idle=5m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("session-timeout.idle is set, but this is no web application:"
						+ " session-timeout applies to servlet and WebFlux applications only, so it does nothing"
						+ " here and does not check its value");
			});
	}

	@Test
	void autoConfigurationWhenNotAWebApplicationWithoutPropertiesThenNoWarning(CapturedOutput output) {
		nonWebContextRunner().withPropertyValues("session-timeout.enabled=true", "server.servlet.session.timeout=5m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("no web application");
			});
	}

	/**
	 * A non-web application's {@code @RequiresPrivilegedSession} methods run unchecked:
	 * with {@code session-timeout.enabled=false} one WARN says so; with the starter on,
	 * the same methods must not run unchecked in silence either.
	 */
	@Test
	void autoConfigurationWhenNotAWebApplicationAndPrivilegedMethodsExistThenWarnsThatTheyRunUnchecked(
			CapturedOutput output) {
		ApplicationContextRunner runner = nonWebContextRunner().withBean(PayoutService.class);
		runner.withPropertyValues("session-timeout.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output.toString()).as("turned off: the methods run unchecked, and a WARN says so")
				.containsOnlyOnce(UNCHECKED_PAYOUT_METHODS);
		});
		int length = output.toString().length();
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			// Nothing intercepts it: no authentication at all, and it runs
			context.getBean(PayoutService.class).payOut(100);
			assertThat(output.toString()
				.substring(length)
				.lines()
				.filter((line) -> line.contains(UNCHECKED_PAYOUT_METHODS)))
				.as("on, in a non-web application: the methods run unchecked all the same")
				.singleElement(InstanceOfAssertFactories.STRING)
				.contains("WARN")
				.contains("this is no web application, so there is no session to check: " + UNCHECKED_PAYOUT_METHODS);
		});
	}

	/**
	 * In a non-web application, removing {@code session-timeout.enabled=false} would not
	 * check the {@code @RequiresPrivilegedSession} methods either: there is no session.
	 * The WARN that they run unchecked must not advise it, but say why.
	 */
	@Test
	void autoConfigurationWhenNotAWebApplicationAndDisabledAndPrivilegedMethodsExistThenWarnsWithoutAdvisingToRemoveTheProperty(
			CapturedOutput output) {
		nonWebContextRunner().withBean(PayoutService.class)
			.withPropertyValues("spring.main.web-application-type=none", "session-timeout.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output.toString().lines().filter((line) -> line.contains(UNCHECKED_PAYOUT_METHODS)))
					.singleElement(InstanceOfAssertFactories.STRING)
					.contains("WARN")
					.contains("session-timeout.enabled=false")
					.contains("this is no web application, so there is no session to check")
					.contains("session-timeout checks them in servlet and WebFlux applications only")
					.doesNotContain("remove the property");
			});
	}

	@Test
	void autoConfigurationWhenNotAWebApplicationAndDisabledThenNoWarning(CapturedOutput output) {
		nonWebContextRunner().withPropertyValues("session-timeout.enabled=false", "session-timeout.idle=banana")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).doesNotContain("no web application");
			});
	}

	@Test
	void settingsWhenUserDefinedThenAutoConfigurationBacksOffAndFilterUsesThem() {
		this.contextRunner.withUserConfiguration(UserSettingsConfiguration.class, FixedClockConfiguration.class)
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
		this.contextRunner.withUserConfiguration(UserResponderConfiguration.class, FixedClockConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(SessionTimeoutResponder.class);
				assertThat(context.getBean(SessionTimeoutResponder.class).getExpiredUrl()).isEqualTo("/signed-out");
				MockHttpServletResponse response = filter(context, sessionCreatedAt(FIXED.minus(Duration.ofDays(1))));
				assertThat(response.getStatus()).isEqualTo(UserResponderConfiguration.STATUS);
				assertThat(response.getHeader("X-Reason")).isEqualTo("absolute");
				ServletSessionClocks clocks = context.getBean(ServletSessionClocks.class);
				assertThat(clocks.isExpiredPage(new MockHttpServletRequest("GET", "/signed-out")))
					.as("the page the responder sends browsers to is never refused")
					.isTrue();
				assertThat(clocks.isExpiredPage(new MockHttpServletRequest("GET", "/login"))).isFalse();
			});
	}

	@Test
	void filterRegistrationWhenUserDefinedWithSameNameThenAutoConfigurationBacksOff() {
		this.contextRunner.withUserConfiguration(UserFilterRegistrationConfiguration.class).run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("sessionTimeoutFilterRegistration",
					FilterRegistrationBean.class);
			assertThat(registration.getOrder()).isEqualTo(SessionTimeoutFilter.DEFAULT_ORDER + 5);
		});
	}

	@Test
	void clockWhenBeanNamedSessionTimeoutClockThenEveryDecisionUsesIt() {
		this.contextRunner.withUserConfiguration(FixedClockConfiguration.class).run((context) -> {
			MockHttpSession session = new MockHttpSession();
			filter(context, session);
			assertThat(SessionAttributes.read(HttpSessionAccess.of(session)))
				.isEqualTo(SessionTimeline.startingAt(FIXED));
		});
	}

	@Test
	void clockWhenBeanNamedSessionTimeoutClockPassesDeadlineThenSessionEnds() {
		this.contextRunner.withUserConfiguration(FixedClockConfiguration.class).run((context) -> {
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
			assertThat(SessionAttributes.read(HttpSessionAccess.of(session)).lastActivityAt().toEpochMilli())
				.isBetween(before, after);
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
	void idleWhenContainerSessionsAndServerSessionTimeoutZeroThenNoIdleClockAsTheContainersNeverTimeOut() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.session", "org.springframework.boot.session"))
			.withPropertyValues("server.servlet.session.timeout=0")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(idle(context)).isNull();
			});
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
	void statusControllerWhenDefaultThenRegistered() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SessionStatusController.class));
	}

	@Test
	void statusControllerWhenDisabledThenAbsent() {
		this.contextRunner.withPropertyValues("session-timeout.status.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionStatusController.class)
				.hasSingleBean(SessionTimeoutFilter.class));
	}

	/**
	 * The switches of the endpoints and the script take every value Spring Boot binds to
	 * a boolean ({@code yes}, {@code on}, {@code 1}): the condition of each must read it
	 * as the bound properties do, or the endpoint is off while the properties say on.
	 */
	@Test
	void endpointsWhenSwitchedByAnyBooleanSpringBindsThenTheConditionsAgreeWithTheProperties() {
		this.contextRunner
			.withPropertyValues("session-timeout.status.enabled=yes", "session-timeout.sessions.enabled=on",
					"session-timeout.script.enabled=1")
			.run((context) -> {
				SessionTimeoutProperties properties = context.getBean(SessionTimeoutProperties.class);
				assertThat(properties.getStatus().isEnabled()).isTrue();
				assertThat(properties.getSessions().isEnabled()).isTrue();
				assertThat(context).hasSingleBean(SessionStatusController.class)
					.hasSingleBean(UserSessionsController.class)
					.hasBean("sessionTimeoutScriptFilterRegistration");
			});
		this.contextRunner
			.withPropertyValues("session-timeout.status.enabled=no", "session-timeout.sessions.enabled=off",
					"session-timeout.script.enabled=0")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SessionStatusController.class)
				.doesNotHaveBean(UserSessionsController.class)
				.doesNotHaveBean("sessionTimeoutScriptFilterRegistration"));
	}

	@Test
	void userSessionsControllerWhenDefaultThenRegisteredAndWhenDisabledThenAbsentWhileTheBeanStays() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(UserSessionsController.class));
		this.contextRunner.withPropertyValues("session-timeout.sessions.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(UserSessionsController.class)
				.hasSingleBean(UserSessions.class)
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
			assertThat(context).getBeans(FilterRegistrationBean.class)
				.containsOnlyKeys("sessionTimeoutFilterRegistration", "sessionTimeoutScriptFilterRegistration",
						"sessionTimeoutPrivilegedDispatchFilterRegistration",
						// Also without privileged paths: answers a challenge
						// left to a chain that never ran
						"sessionTimeoutAfterSecurityChainsFilterRegistration");
		});
	}

	private static SessionTimeoutPolicy policy(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(SessionTimeoutSettings.class).getDefaultPolicy();
	}

	private static Duration idle(AssertableWebApplicationContext context) {
		return policy(context).idle();
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
	static class UserFilterRegistrationConfiguration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(SessionTimeoutFilter.DEFAULT_ORDER + 5);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
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

}
