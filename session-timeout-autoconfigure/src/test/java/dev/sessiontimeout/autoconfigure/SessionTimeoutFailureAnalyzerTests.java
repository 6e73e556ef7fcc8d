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
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Logger;
import jakarta.servlet.DispatcherType;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.web.servlet.support.ServletContextApplicationContextInitializer;
import org.springframework.boot.web.context.servlet.AnnotationConfigServletWebApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.web.MockServletContext;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.SpringHttpSessionConfiguration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.ReflectionUtils;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.ConfiguredPolicy;
import dev.sessiontimeout.internal.policy.InvalidSessionDurationException;
import dev.sessiontimeout.internal.policy.InvalidSessionTimeoutSettingsException;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.security.PrivilegedDispatchFilter;
import dev.sessiontimeout.internal.security.RequiresPrivilegedSessionPointcut;
import dev.sessiontimeout.internal.web.ServletSessionAnswers;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link SessionTimeoutFailureAnalyzer} and {@link SessionDurationConverter}.
 *
 * @author session-timeout
 */
class SessionTimeoutFailureAnalyzerTests {

	private static final String COOKIE_MAX_AGE_RULE = "session-timeout decides the session cookie's lifetime, a"
			+ " browser-session cookie unless session-timeout.cookie.persistent=true; only a negative value, which"
			+ " sets no Max-Age, is allowed";

	private static final String COOKIE_MAX_AGE_FIX = "remove it, and set session-timeout.cookie.persistent=true"
			+ " for a cookie that lasts the session's remaining absolute lifetime";

	private final SessionTimeoutFailureAnalyzer analyzer = new SessionTimeoutFailureAnalyzer(null);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class, SessionTimeoutOAuth2ClientAutoConfiguration.class));

	/**
	 * The starter decorates the application's {@code ReactiveSessionRegistry} bean; one
	 * of a class that cannot be subclassed is not of that class, so a bean that injects
	 * it as that class fails to start.
	 */
	@Test
	void analyzeWhenAReactiveSessionRegistryOfAFinalClassIsInjectedAsItsClassThenTellsToInjectTheInterface() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionTimeoutReactiveAutoConfiguration.class,
					WebFluxAutoConfiguration.class))
			.withUserConfiguration(ConcreteRegistryInjection.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription())
					.contains("Bean 'sessionRegistry' is injected as " + FinalReactiveSessionRegistry.class.getName())
					.contains("its class cannot be subclassed");
				assertThat(analysis.getAction()).contains("the injection of bean 'sessionRegistry': inject it as "
						+ ReactiveSessionRegistry.class.getName());
			});
	}

	@Test
	void analyzeWhenAServletSessionRegistryOfAFinalClassIsInjectedAsItsClassThenTellsToInjectTheInterface() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
					SessionTimeoutSecurityAutoConfiguration.class))
			.withUserConfiguration(FinalRegistryInjection.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = this.analyzer.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription())
					.contains("Bean 'sessionRegistry' is injected as " + FinalSessionRegistry.class.getName());
				assertThat(analysis.getAction()).contains(
						"the injection of bean 'sessionRegistry': inject it as " + SessionRegistry.class.getName());
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class FinalRegistryInjection {

		@Bean
		FinalSessionRegistry sessionRegistry() {
			return new FinalSessionRegistry();
		}

		@Bean
		String registryUser(FinalSessionRegistry sessionRegistry) {
			return "uses " + sessionRegistry;
		}

	}

	static final class FinalSessionRegistry extends SessionRegistryImpl {

	}

	@Configuration(proxyBeanMethods = false)
	static class ConcreteRegistryInjection {

		@Bean
		FinalReactiveSessionRegistry sessionRegistry() {
			return new FinalReactiveSessionRegistry();
		}

		@Bean
		String registryUser(FinalReactiveSessionRegistry sessionRegistry) {
			return "uses " + sessionRegistry;
		}

	}

	static final class FinalReactiveSessionRegistry extends InMemoryReactiveSessionRegistry {

	}

	@Test
	void analyzeWhenUnrelatedFailureThenNull() {
		assertThat(this.analyzer.analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Test
	void analyzeWhenInvalidDurationOutsideBindingThenNull() {
		Throwable failure = catchThrowableOfType(InvalidSessionDurationException.class,
				() -> SessionDurations.parse("abc"));
		assertThat(this.analyzer.analyze(new BeanCreationException("bean", failure))).isNull();
	}

	@Test
	void analyzeWhenViolationsDeepInCausesThenEachPropertyValueRuleAndFix() {
		InvalidSessionTimeoutException invalid = new InvalidSessionTimeoutException(
				List.of(new Violation("session-timeout.idle", "0", "idle rule", "idle fix"),
						new Violation("session-timeout.absolute", "1h", "absolute rule", "absolute fix")));
		BeanCreationException failure = new BeanCreationException("outer", new BeanCreationException("inner", invalid));
		FailureAnalysis analysis = this.analyzer.analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getCause()).isSameAs(failure);
		assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"0\"",
				"Rule: idle rule", "Property: session-timeout.absolute", "Value: \"1h\"", "Rule: absolute rule");
		assertThat(analysis.getAction()).contains("session-timeout.idle: idle fix",
				"session-timeout.absolute: absolute fix");
	}

	@Test
	void analyzeWhenPolicyInvalidThenEachPolicyPropertyValueRuleAndFix() {
		ConfiguredPolicy unnamed = new ConfiguredPolicy(0, null, List.of(), null, null, null, null, null, null);
		ConfiguredPolicy administrators = new ConfiguredPolicy(1, "administrators", List.of("ROLE_ADMIN"), null,
				Duration.ofHours(1), Duration.ofHours(2), null, null, null);
		InvalidSessionTimeoutSettingsException invalid = catchThrowableOfType(
				InvalidSessionTimeoutSettingsException.class,
				() -> SessionTimeoutSettings.builder().policy(unnamed).policy(administrators).build());
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("sessionTimeoutSettings", invalid));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].name", "Value: \"\"",
				"Rule: every policy needs a name", "Property: session-timeout.policies[0].authorities",
				"Rule: a policy must say which authentications it applies to",
				"Property: session-timeout.policies[1].idle", "Value: \"2h\"",
				"Rule: in policy 'administrators', idle must not be longer than absolute,"
						+ " session-timeout.policies[1].absolute=1h");
		assertThat(analysis.getAction()).contains(
				"session-timeout.policies[0].name: name the policy, for example administrators",
				"session-timeout.policies[0].authorities: set session-timeout.policies[0].authorities (any of them"
						+ " matches) or session-timeout.policies[0].remember-me",
				"session-timeout.policies[1].idle: shorten session-timeout.policies[1].idle to at most 1h, or set"
						+ " session-timeout.policies[1].absolute to at least 2h");
	}

	@Test
	void analyzeWhenPrivilegedPathNotAPatternThenNamesTheIndexedProperty() {
		InvalidSessionTimeoutException invalid = catchThrowableOfType(InvalidSessionTimeoutException.class,
				() -> SessionTimeoutSettingsFactory.pathPatterns("session-timeout.privileged.paths",
						List.of("/account/**", "/a/{*x}/b")));
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("sessionTimeoutFilter", invalid));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription())
			.contains("Property: session-timeout.privileged.paths[1]", "Value: \"/a/{*x}/b\"",
					"Rule: not a path pattern")
			.doesNotContain("paths[0]");
		assertThat(analysis.getAction())
			.contains("session-timeout.privileged.paths[1]: use a pattern such as /api/poll or /account/**");
	}

	@Test
	void analyzeWhenAcrValueCannotBeSentInAChallengeThenNamesEachIndexedProperty() {
		assertReport(startWith("session-timeout.privileged.acr-values[0]=urn:example:mfa",
				"session-timeout.privileged.acr-values[1]=two words",
				"session-timeout.privileged.acr-values[2]=say \"mfa\"", "session-timeout.privileged.acr-values[3]= "),
				"""
						The session-timeout configuration is invalid:

						    Property: session-timeout.privileged.acr-values[1]
						    Value: "two words"
						    Origin: "session-timeout.privileged.acr-values[1]" from property source "test"
						    Rule: not an authentication context class: spaces, quotes, backslashes and characters \
						outside printable ASCII cannot be sent in a challenge

						    Property: session-timeout.privileged.acr-values[2]
						    Value: "say \"mfa\""
						    Origin: "session-timeout.privileged.acr-values[2]" from property source "test"
						    Rule: not an authentication context class: spaces, quotes, backslashes and characters \
						outside printable ASCII cannot be sent in a challenge

						    Property: session-timeout.privileged.acr-values[3]
						    Value: ""
						    Origin: "session-timeout.privileged.acr-values[3]" from property source "test"
						    Rule: an authentication context class must not be blank""",
				"""
						Update your application's configuration:

						    session-timeout.privileged.acr-values[1]: use a value such as urn:example:mfa or phr, or remove the entry
						    session-timeout.privileged.acr-values[2]: use a value such as urn:example:mfa or phr, or remove the entry
						    session-timeout.privileged.acr-values[3]: use a value such as urn:example:mfa or phr, or remove the entry""");
	}

	@Test
	void analyzeWhenDurationUnparsableThenFullReport() {
		assertReport(startWith("session-timeout.idle=banana"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.idle
				    Value: "banana"
				    Origin: "session-timeout.idle" from property source "test"
				    Rule: not a session duration""", """
				Update your application's configuration:

				    session-timeout.idle: use a duration such as 30m, 8h, 1h30m, 1d12h or PT8H, a bare number of\
				 minutes such as 240, or -1 to disable the clock""");
	}

	@Test
	void analyzeWhenNegativeBeyondAnyDurationThenReportNamesThePropertyAndTheSyntax() {
		FailureAnalysis analysis = startWith("session-timeout.absolute=PT-9223372036854775808S");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.absolute",
				"Value: \"PT-9223372036854775808S\"");
		assertThat(analysis.getAction()).contains("session-timeout.absolute: use a duration such as 30m");
	}

	@Test
	void analyzeWhenNegativeThenFullReport() {
		assertReport(startWith("session-timeout.reauthentication=-30m"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.reauthentication
				    Value: "-30m"
				    Origin: "session-timeout.reauthentication" from property source "test"
				    Rule: a duration must not be negative""", """
				Update your application's configuration:

				    session-timeout.reauthentication: use a positive duration, or -1 to disable the clock""");
	}

	@Test
	void analyzeWhenZeroWhereNotAllowedThenFullReport() {
		assertReport(startWith("session-timeout.idle=0"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.idle
				    Value: "0"
				    Origin: "session-timeout.idle" from property source "test"
				    Rule: 0 is allowed only for the privileged age (always re-authenticate)""", """
				Update your application's configuration:

				    session-timeout.idle: use a positive duration, or -1 to disable the clock""");
	}

	@Test
	void analyzeWhenOrderingBrokenAgainstDefaultThenFullReportShowsTheValueAsWritten() {
		assertReport(startWith("session-timeout.idle=24h"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.idle
				    Value: "24h"
				    Origin: "session-timeout.idle" from property source "test"
				    Rule: idle must not be longer than absolute, session-timeout.absolute=12h (its default)""", """
				Update your application's configuration:

				    session-timeout.idle: shorten session-timeout.idle to at most 12h, or set session-timeout.absolute\
				 to at least 1d""");
	}

	@Test
	void analyzeWhenPolicyOrderingBrokenAgainstInheritedValueThenFullReport() {
		assertReport(
				startWith("session-timeout.absolute=1h", "session-timeout.policies[0].name=administrators",
						"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[0].idle=2h"),
				"""
						The session-timeout configuration is invalid:

						    Property: session-timeout.policies[0].idle
						    Value: "2h"
						    Origin: "session-timeout.policies[0].idle" from property source "test"
						    Rule: in policy 'administrators', idle must not be longer than absolute,\
						 session-timeout.policies[0].absolute=1h (inherited from session-timeout.absolute)""",
				"""
						Update your application's configuration:

						    session-timeout.policies[0].idle: shorten session-timeout.policies[0].idle to at most 1h, or set\
						 session-timeout.policies[0].absolute to at least 2h""");
	}

	@Test
	void analyzeWhenWeakerThanPresetWithoutDeviationThenFullReport() {
		assertReport(startWith("session-timeout.preset=pci-dss", "session-timeout.idle=30m"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.idle
				    Value: "30m"
				    Origin: "session-timeout.idle" from property source "test"
				    Rule: weaker than preset pci-dss, which sets 15m""", """
				Update your application's configuration:

				    session-timeout.idle: use at most 15m, or write why this application deviates in\
				 session-timeout.preset-deviation""");
	}

	@Test
	void analyzeWhenLimitNotPositiveThenFullReport() {
		assertReport(startWith("session-timeout.limits.idle=0"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.limits.idle
				    Value: "0"
				    Origin: "session-timeout.limits.idle" from property source "test"
				    Rule: a limit must be positive""", """
				Update your application's configuration:

				    session-timeout.limits.idle: use a positive duration, or remove the limit""");
	}

	@Test
	void analyzeWhenResponseCheckIntervalZeroThenFullReport() {
		assertReport(startWith("session-timeout.response-check-interval=0s"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.response-check-interval
				    Value: "0s"
				    Origin: "session-timeout.response-check-interval" from property source "test"
				    Rule: the response check interval must be positive""", """
				Update your application's configuration:

				    session-timeout.response-check-interval: use a positive duration such as 10s""");
	}

	@Test
	void analyzeWhenResponseCheckIntervalShorterThanAMillisecondThenFullReport() {
		assertReport(startWith("session-timeout.response-check-interval=1ns"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.response-check-interval
				    Value: "1ns"
				    Origin: "session-timeout.response-check-interval" from property source "test"
				    Rule: the response check interval must be at least 1ms, the precision of the session clocks""", """
				Update your application's configuration:

				    session-timeout.response-check-interval: use a duration of at least 1ms, such as 10s""");
		assertThat(startWith("session-timeout.response-check-interval=999us").getDescription())
			.contains("Value: \"999us\"", "Rule: the response check interval must be at least 1ms");
	}

	@Test
	void responseCheckIntervalWhenOneMillisecondThenStarts() {
		this.contextRunner.withPropertyValues("session-timeout.response-check-interval=1ms")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenSpringSessionTimeoutZeroThenFullReport() {
		assertReport(analyze(withSpringSession().withPropertyValues("spring.session.timeout=0")), """
				The session-timeout configuration is invalid:

				    Property: spring.session.timeout
				    Value: "0"
				    Origin: "spring.session.timeout" from property source "test"
				    Rule: Spring Session ends a session whose timeout is 0 at once (only a negative one never \
				ends), and session-timeout.idle inherits it, where 0 is not allowed""", """
				Update your application's configuration:

				    spring.session.timeout: use a positive duration such as 30m, or -1 for sessions without an \
				idle timeout; or set session-timeout.idle""");
	}

	@Test
	void analyzeWhenServerSessionTimeoutZeroWithSpringSessionThenNamesIt() {
		FailureAnalysis analysis = analyze(withSpringSession().withPropertyValues("server.servlet.session.timeout=0"));
		assertThat(analysis.getDescription()).contains("Property: server.servlet.session.timeout", "Value: \"0\"",
				"Rule: Spring Session ends a session whose timeout is 0 at once");
	}

	@Test
	void analyzeWhenServerSessionTimeoutUnparsableThenFullReport() {
		// As in a war deployment: the starter's filter is created before Spring Boot
		// binds
		// its own server properties, so the starter is the first to read the value
		assertReport(startWith("server.servlet.session.timeout=banana"), """
				The session-timeout configuration is invalid:

				    Property: server.servlet.session.timeout
				    Value: "banana"
				    Origin: "server.servlet.session.timeout" from property source "test"
				    Rule: not a duration, which session-timeout.idle inherits""", """
				Update your application's configuration:

				    server.servlet.session.timeout: use a duration such as 30m or PT30M (a bare number is\
				 seconds), or -1 for sessions without an idle timeout""");
	}

	@Test
	void startupWhenWarDeploymentHasAnUnparsableServerSessionTimeoutThenReportNamesPropertyAndValue() {
		SpringApplication application = new SpringApplication(WarApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setBannerMode(Banner.Mode.OFF);
		application.addInitializers(new ServletContextApplicationContextInitializer(new MockServletContext()));
		Logger reporter = (Logger) LoggerFactory
			.getLogger("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter");
		application.addInitializers((context) -> reporter.setAdditive(false));
		Throwable failure;
		try {
			failure = catchThrowable(() -> application
				.run("--server.servlet.session.timeout=banana", "--spring.autoconfigure.exclude=" + String.join(",",
						"org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
						"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
						"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")));
		}
		finally {
			reporter.setAdditive(true);
		}
		FailureAnalysis analysis = new SessionTimeoutFailureAnalyzer(null).analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("Property: server.servlet.session.timeout", "Value: \"banana\"");
	}

	@Test
	void analyzeWhenReactiveServerSessionTimeoutUnparsableThenNamesIt() {
		ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionTimeoutReactiveAutoConfiguration.class))
			.withPropertyValues("server.reactive.session.timeout=banana");
		runner.run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new SessionTimeoutFailureAnalyzer(null).analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("Property: server.reactive.session.timeout",
					"Value: \"banana\"");
		});
	}

	/**
	 * A registration of the filter of one's own with Spring Boot's default dispatcher
	 * type (a filter that is no {@code OncePerRequestFilter} sees only {@code REQUEST}):
	 * an asynchronous dispatch would no longer be checked against its session again, and
	 * an error page would see the user of a request that runs without them.
	 */
	@Test
	void analyzeWhenTheFiltersOwnRegistrationLeavesOutDispatcherTypesThenFullReport() {
		assertReport(analyze(this.contextRunner.withUserConfiguration(RequestOnlyFilterRegistration.class)), """
				The session-timeout configuration is invalid:

				    Bean: sessionTimeoutFilterRegistration
				    Dispatcher types: [REQUEST]
				    Rule: the SessionTimeoutFilter must be registered for the REQUEST, ASYNC and ERROR \
				dispatches: without ASYNC a request's asynchronous dispatch is not checked against its session \
				again, without ERROR an error page sees the user of a request that runs without them \
				(re-authentication due)""", """
				Update your application's code:

				    sessionTimeoutFilterRegistration: register it for DispatcherType.REQUEST, \
				DispatcherType.ASYNC and DispatcherType.ERROR (setDispatcherTypes), or remove it to use the \
				auto-configured registration""");
	}

	/**
	 * A registration of the filter of one's own under another name: the
	 * auto-configuration registers it too, and every request would pass it twice.
	 */
	@Test
	void analyzeWhenTheFilterIsRegisteredTwiceThenFullReport() {
		assertReport(analyze(this.contextRunner.withUserConfiguration(OtherNamedFilterRegistration.class)), """
				The session-timeout configuration is invalid:

				    Beans: myFilterRegistration, sessionTimeoutFilterRegistration
				    Rule: the SessionTimeoutFilter must be registered once, or every request passes it \
				more than once""", """
				Update your application's code:

				    myFilterRegistration: name it sessionTimeoutFilterRegistration to replace the \
				auto-configured registration, or remove it""");
	}

	/**
	 * A registration of the privileged dispatches' filter of one's own that leaves out
	 * the asynchronous dispatch: a privileged path reached by an asynchronous dispatch to
	 * another path would be served without a recent authentication.
	 */
	@Test
	void analyzeWhenThePrivilegedDispatchFiltersOwnRegistrationLeavesOutADispatcherTypeThenFullReport() {
		assertReport(
				analyze(this.contextRunner
					.withUserConfiguration(ForwardsOnlyPrivilegedDispatchFilterRegistration.class)),
				"""
						The session-timeout configuration is invalid:

						    Bean: sessionTimeoutPrivilegedDispatchFilterRegistration
						    Dispatcher types: [FORWARD, INCLUDE, ERROR]
						    Rule: the PrivilegedDispatchFilter must be registered for the FORWARD, INCLUDE, ASYNC and \
						ERROR dispatches: without one of them a privileged path that a request reaches that way (a forward, \
						an include, an error page, an asynchronous dispatch to another path) is served without a recent \
						authentication""",
				"""
						Update your application's code:

						    sessionTimeoutPrivilegedDispatchFilterRegistration: register it for DispatcherType.FORWARD, \
						DispatcherType.INCLUDE, DispatcherType.ASYNC and DispatcherType.ERROR (setDispatcherTypes), or \
						remove it to use the auto-configured registration""");
	}

	@Test
	void filterRegistrationWhenOwnWithEveryDispatcherTypeThenStarts() {
		this.contextRunner.withUserConfiguration(EveryDispatcherTypeFilterRegistration.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * Spring Boot's spring.session.servlet.filter-order moves Spring Session's filter;
	 * the starter's filters follow it, still before Spring Security's filter chain.
	 */
	@Test
	void filterRegistrationWhenSpringSessionFilterMovedThenTheStartersFiltersFollowIt() {
		withSpringSessionFilter().withPropertyValues("spring.session.servlet.filter-order=-200").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("sessionTimeoutFilterRegistration", FilterRegistrationBean.class).getOrder())
				.isEqualTo(-190);
			assertThat(
					context.getBean("sessionTimeoutPrivilegedDispatchFilterRegistration", FilterRegistrationBean.class)
						.getOrder())
				.isEqualTo(-189);
		});
		withSpringSessionFilter().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean("sessionTimeoutFilterRegistration", FilterRegistrationBean.class).getOrder())
				.isEqualTo(SessionTimeoutFilter.DEFAULT_ORDER);
		});
	}

	/**
	 * Spring Session's filter moved so close to Spring Security's (-100) that the
	 * starter's filter, 10 after it, would run after Spring Security's filter chain.
	 */
	@Test
	void analyzeWhenSpringSessionFilterOrderedTooCloseToSpringSecurityThenReportNamesBothProperties() {
		FailureAnalysis analysis = analyze(
				withSpringSessionFilter().withPropertyValues("spring.session.servlet.filter-order=-105"));
		assertThat(analysis.getDescription()).contains("Property: spring.session.servlet.filter-order",
				"Value: \"-105\"", "Property: spring.security.filter.order", "Value: \"-100\"");
		assertThat(analysis.getAction()).contains(
				"spring.session.servlet.filter-order: order Spring Session's filter" + " at most -112",
				"spring.security.filter.order: order Spring Security's filter chain at least -93");
	}

	/**
	 * Spring Security's filter chain moved ahead of the starter's filter.
	 */
	@Test
	void analyzeWhenSpringSecurityFilterOrderedBeforeTheStartersFilterThenReportNamesIt() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withPropertyValues("spring.security.filter.order=" + (Integer.MIN_VALUE + 55)));
		assertThat(analysis.getDescription()).contains("Property: spring.security.filter.order",
				"Value: \"" + (Integer.MIN_VALUE + 55) + "\"");
		assertThat(analysis.getAction()).contains("spring.security.filter.order: order Spring Security's filter chain"
				+ " at least " + (SessionTimeoutFilter.DEFAULT_ORDER + 2));
	}

	/**
	 * A registration of one's own ahead of Spring Session's filter: the filter would see
	 * the container's request, without Spring Session's session.
	 */
	@Test
	void analyzeWhenTheFiltersOwnRegistrationIsOrderedBeforeSpringSessionThenReportNamesItsOrder() {
		FailureAnalysis analysis = analyze(
				withSpringSessionFilter().withUserConfiguration(EveryDispatcherTypeFilterRegistration.class)
					.withPropertyValues("spring.session.servlet.filter-order=-200"));
		assertThat(analysis.getDescription()).contains("Bean: sessionTimeoutFilterRegistration",
				"Order: " + SessionTimeoutFilter.DEFAULT_ORDER, "spring.session.servlet.filter-order=-200",
				"spring.security.filter.order=-100");
		assertThat(analysis.getAction()).contains(
				"sessionTimeoutFilterRegistration: order it between them" + " (setOrder), for example setOrder(-190)");
	}

	@Test
	void filterRegistrationWhenOwnIsDisabledThenStarts() {
		this.contextRunner.withUserConfiguration(DisabledFilterRegistration.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * A registration of the filter of one's own with every dispatcher type the rule names
	 * but Spring Boot's default order ({@code Ordered.LOWEST_PRECEDENCE}): the filter
	 * runs after Spring Security's filter chain, which has authorized the request with
	 * the session's user by then, so a user whose re-authentication is due is served as
	 * signed in.
	 */
	@Test
	void analyzeWhenTheFiltersOwnRegistrationIsOrderedAfterSpringSecurityThenReportNamesItsOrder() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withUserConfiguration(DefaultOrderFilterRegistration.class));
		assertThat(analysis.getDescription()).contains("sessionTimeoutFilterRegistration",
				String.valueOf(Ordered.LOWEST_PRECEDENCE));
		assertThat(analysis.getAction()).contains("sessionTimeoutFilterRegistration", "setOrder");
	}

	@Test
	void springSessionTimeoutWhenZeroButIdleSetThenStarts() {
		withSpringSession().withPropertyValues("spring.session.timeout=0", "session-timeout.idle=30m")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenServerSessionCookieMaxAgeSetThenFullReport() {
		// SPEC §4: without persistent cookies the session cookie ends with the browser
		// session; a Max-Age of Spring Boot's would keep it for 30 days on a shared
		// computer
		assertCookieMaxAgeReport(startWith("server.servlet.session.cookie.max-age=30d"),
				"server.servlet.session.cookie.max-age", "30d");
	}

	@Test
	void analyzeWhenServerSessionCookieMaxAgeIsAnEnvironmentVariableOfSecondsThenNamesThePropertyAndValue() {
		FailureAnalysis analysis = analyze(this.contextRunner
			.withInitializer(environmentVariable("SERVER_SERVLET_SESSION_COOKIE_MAXAGE", "2592000")));
		assertNamesCookieMaxAge(analysis, "server.servlet.session.cookie.max-age", "2592000");
	}

	@Test
	void analyzeWhenServerSessionCookieMaxAgeZeroOrUnparsableThenNamesThePropertyAndValue() {
		// 0 deletes the cookie at once; a value Spring Boot cannot read fails its own
		// binding later, or never in a war deployment
		for (String property : List.of("server.servlet.session.cookie.max-age=0",
				"server.servlet.session.cookie.maxAge=0", "server.servlet.session.cookie.max-age=PT0S",
				"server.servlet.session.cookie.max-age=banana")) {
			String value = property.substring(property.indexOf('=') + 1);
			assertNamesCookieMaxAge(property, startWith(property), "server.servlet.session.cookie.max-age", value);
		}
	}

	@Test
	void analyzeWhenServerSessionCookieMaxAgeSetWithSpringSessionThenNamesIt() {
		// Spring Boot gives Spring Session's DefaultCookieSerializer the same Max-Age
		FailureAnalysis analysis = analyze(
				withSpringSession().withPropertyValues("server.servlet.session.cookie.max-age=1h"));
		assertNamesCookieMaxAge(analysis, "server.servlet.session.cookie.max-age", "1h");
	}

	@Test
	void analyzeWhenServerSessionCookieMaxAgeSetAndAClockInvalidThenNamesBoth() {
		FailureAnalysis analysis = startWith("session-timeout.idle=0", "server.servlet.session.cookie.max-age=30d");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.idle",
				"Property: server.servlet.session.cookie.max-age");
		assertThat(analysis.getAction()).contains("session-timeout.idle: ",
				"server.servlet.session.cookie.max-age: " + COOKIE_MAX_AGE_FIX);
	}

	@Test
	void serverSessionCookieMaxAgeWhenNegativeOrEmptyThenStarts() {
		// Spring Boot's way to say a browser-session cookie
		for (String value : List.of("-1", "-1s", "PT-1S", "")) {
			this.contextRunner.withPropertyValues("server.servlet.session.cookie.max-age=" + value)
				.run((context) -> assertThat(context).as(value).hasNotFailed());
		}
	}

	@Test
	void serverSessionCookieMaxAgeWhenStarterDisabledThenStarts() {
		this.contextRunner
			.withPropertyValues("session-timeout.enabled=false", "server.servlet.session.cookie.max-age=30d")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenReactiveServerSessionCookieMaxAgeSetThenFullReport() {
		assertCookieMaxAgeReport(analyze(reactive().withPropertyValues("server.reactive.session.cookie.max-age=30d")),
				"server.reactive.session.cookie.max-age", "30d");
	}

	@Test
	void analyzeWhenReactiveServerSessionCookieMaxAgeIsAnEnvironmentVariableOfSecondsThenNamesIt() {
		FailureAnalysis analysis = analyze(
				reactive().withInitializer(environmentVariable("SERVER_REACTIVE_SESSION_COOKIE_MAXAGE", "3600")));
		assertNamesCookieMaxAge(analysis, "server.reactive.session.cookie.max-age", "3600");
	}

	@Test
	void reactiveServerSessionCookieMaxAgeWhenNegativeThenStartsAndTheServletPropertyIsNotRead() {
		reactive().withPropertyValues("server.reactive.session.cookie.max-age=-1")
			.run((context) -> assertThat(context).hasNotFailed());
		reactive().withPropertyValues("server.servlet.session.cookie.max-age=30d")
			.run((context) -> assertThat(context).hasNotFailed());
		reactive().withPropertyValues("session-timeout.enabled=false", "server.reactive.session.cookie.max-age=30d")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenPolicyNameHoldsAQuoteThenFullReport() {
		assertReport(
				startWith("session-timeout.policies[0].name=admin\"s",
						"session-timeout.policies[0].authorities=ROLE_ADMIN"),
				"""
						The session-timeout configuration is invalid:

						    Property: session-timeout.policies[0].name
						    Value: "admin"s"
						    Origin: "session-timeout.policies[0].name" from property source "test"
						    Rule: a policy name may hold only letters, digits, '-', '_' and '.': it is written \
						unescaped in log lines and in every session of the policy""", """
						Update your application's configuration:

						    session-timeout.policies[0].name: use a name such as administrators or remember-me""");
	}

	@Test
	void analyzeWhenPolicyNamesHoldSpacesSeparatorsOrControlCharactersThenNamesEach() {
		FailureAnalysis analysis = startWith("session-timeout.policies[0].name=night shift",
				"session-timeout.policies[0].authorities=ROLE_A", "session-timeout.policies[1].name=ops,eu",
				"session-timeout.policies[1].authorities=ROLE_B", "session-timeout.policies[2].name=ops\nINFO forged",
				"session-timeout.policies[2].authorities=ROLE_C", "session-timeout.policies[3].name=ops(eu)",
				"session-timeout.policies[3].authorities=ROLE_D");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[0].name",
				"Property: session-timeout.policies[1].name", "Property: session-timeout.policies[2].name",
				"Property: session-timeout.policies[3].name");
	}

	@Test
	void policyNamesWhenLettersDigitsHyphensUnderscoresAndDotsThenStarts() {
		this.contextRunner.withPropertyValues("session-timeout.policies[0].name=remember-me",
				"session-timeout.policies[0].remember-me=true", "session-timeout.policies[1].name=Trusted_Device.v2",
				"session-timeout.policies[1].authorities=ROLE_DEVICE")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenStoreGraceNegativeThenFullReport() {
		assertReport(startWith("session-timeout.store-grace=-5s"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.store-grace
				    Value: "-5s"
				    Origin: "session-timeout.store-grace" from property source "test"
				    Rule: the store grace must not be negative""", """
				Update your application's configuration:

				    session-timeout.store-grace: use 0s or a positive duration such as 1m""");
	}

	@Test
	void analyzeWhenPolicyHasNoNameNorMatcherThenFullReportWithoutValuesItNeverHad() {
		assertReport(startWith("session-timeout.policies[0].absolute=1h"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.policies[0].name
				    Value: ""
				    Rule: every policy needs a name

				    Property: session-timeout.policies[0].authorities
				    Value: ""
				    Rule: a policy must say which authentications it applies to""", """
				Update your application's configuration:

				    session-timeout.policies[0].name: name the policy, for example administrators
				    session-timeout.policies[0].authorities: set session-timeout.policies[0].authorities (any of them\
				 matches) or session-timeout.policies[0].remember-me""");
	}

	@Test
	void analyzeWhenPolicyNamesRepeatThenFullReport() {
		assertReport(startWith("session-timeout.policies[0].name=staff",
				"session-timeout.policies[0].authorities=ROLE_ADMIN", "session-timeout.policies[1].name=staff",
				"session-timeout.policies[1].remember-me=true"), """
						The session-timeout configuration is invalid:

						    Property: session-timeout.policies[1].name
						    Value: "staff"
						    Origin: "session-timeout.policies[1].name" from property source "test"
						    Rule: policy names must be unique""", """
						Update your application's configuration:

						    session-timeout.policies[1].name: give the policy another name""");
	}

	@Test
	void analyzeWhenAnEarlierPolicyClaimsEveryAuthenticationOfALaterOneThenFullReport() {
		// Every authentication that is not remember-me gets 'signed-in' (12h): the
		// administrators' 1h policy, for administrators not signed in by remember-me,
		// would never apply
		assertReport(
				startWith("session-timeout.policies[0].name=signed-in", "session-timeout.policies[0].remember-me=false",
						"session-timeout.policies[1].name=administrators",
						"session-timeout.policies[1].authorities=ROLE_ADMIN",
						"session-timeout.policies[1].remember-me=false", "session-timeout.policies[1].absolute=1h",
						"session-timeout.policies[2].name=remember-me", "session-timeout.policies[2].remember-me=true"),
				"""
						The session-timeout configuration is invalid:

						    Property: session-timeout.policies[1].authorities
						    Value: "ROLE_ADMIN"
						    Origin: "session-timeout.policies[1].authorities" from property source "test"
						    Rule: policy 'administrators' never applies: policy 'signed-in',\
						 session-timeout.policies[0], comes before it and claims every authentication it claims""",
				"""
						Update your application's configuration:

						    session-timeout.policies[1].authorities: move policy 'administrators' before policy 'signed-in',\
						 or remove it""");
	}

	@Test
	void analyzeWhenAnEarlierPolicyHasEveryAuthorityOfALaterOneThenNamesTheLaterOne() {
		FailureAnalysis analysis = startWith("session-timeout.policies[0].name=staff",
				"session-timeout.policies[0].authorities=ROLE_STAFF,ROLE_ADMIN",
				"session-timeout.policies[1].name=administrators", "session-timeout.policies[1].authorities=ROLE_ADMIN",
				"session-timeout.policies[1].remember-me=false", "session-timeout.policies[1].absolute=1h");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.policies[1].authorities",
				"Rule: policy 'administrators' never applies: policy 'staff', session-timeout.policies[0]");
	}

	@Test
	void contextWhenALaterPolicyClaimsAuthenticationsTheEarlierOnesDoNotThenStarts() {
		this.contextRunner
			.withPropertyValues("session-timeout.policies[0].name=staff",
					"session-timeout.policies[0].authorities=ROLE_STAFF",
					"session-timeout.policies[0].remember-me=true", "session-timeout.policies[1].name=administrators",
					"session-timeout.policies[1].authorities=ROLE_STAFF,ROLE_ADMIN",
					"session-timeout.policies[2].name=others", "session-timeout.policies[2].remember-me=false")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenPrivilegedPathNotAPatternThenFullReportWithTheOriginOfTheList() {
		assertReport(startWith("session-timeout.privileged.paths=/account/**,/account/{*rest}/password"), """
				The session-timeout configuration is invalid:

				    Property: session-timeout.privileged.paths[1]
				    Value: "/account/{*rest}/password"
				    Origin: "session-timeout.privileged.paths" from property source "test"
				    Rule: not a path pattern: {*...} or ** pattern elements should be placed at the start or end of the\
				 pattern""", """
				Update your application's configuration:

				    session-timeout.privileged.paths[1]: use a pattern such as /api/poll or /account/**""");
	}

	@Test
	void analyzeWhenAnnotatedMethodMaxAgeNegativeThenFullReportNamesMethodAttributeValueRuleAndFix() {
		assertReport(startWithBean(NegativeMaxAgeService.class), """
				The session-timeout configuration is invalid:

				    Method: %s.transfer(java.lang.String, int[])
				    Attribute: @RequiresPrivilegedSession(maxAge)
				    Value: "-5m"
				    Rule: a maximum age must not be negative""".formatted(NegativeMaxAgeService.class.getName()), """
				Update your application's code:

				    @RequiresPrivilegedSession(maxAge) on %s.transfer(java.lang.String, int[]): use a duration of\
				 zero or more, such as 5m, 1h30m or PT10M (0 asks for an authentication on every call), or leave\
				 maxAge out to use session-timeout.privileged.max-age"""
			.formatted(NegativeMaxAgeService.class.getName()));
	}

	/**
	 * With a preset and no written deviation from it, a privileged method's maxAge longer
	 * than the preset's privileged age is as weak as that value of
	 * session-timeout.privileged.max-age, which fails startup.
	 */
	@Test
	void analyzeWhenAnnotatedMethodMaxAgeWeakerThanPresetWithoutDeviationThenReportNamesMethodAndPreset() {
		FailureAnalysis analysis = analyze(
				this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
					.withPropertyValues("session-timeout.preset=pci-dss")
					.withBean(HourMaxAgeService.class));
		assertThat(analysis.getDescription()).contains("Method: " + HourMaxAgeService.class.getName() + ".transfer()",
				"Value: \"1h\"", "pci-dss");
		assertThat(analysis.getAction()).contains("session-timeout.preset-deviation");
	}

	@Test
	void annotatedMethodMaxAgeWhenWeakerThanPresetWithDeviationOrNotWeakerThenStarts() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("session-timeout.preset=pci-dss",
					"session-timeout.preset-deviation=transfers are confirmed by a one-time code")
			.withBean(HourMaxAgeService.class)
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withPropertyValues("session-timeout.preset=owasp-low-risk")
			.withBean(FifteenMinutesMaxAgeService.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void analyzeWhenAnnotatedMethodMaxAgeUnparsableThenReportNamesIt() {
		FailureAnalysis analysis = startWithBean(UnparsableMaxAgeService.class);
		assertThat(analysis.getDescription()).contains(
				"Method: " + UnparsableMaxAgeService.class.getName() + ".transfer()", "Value: \"banana\"",
				"Rule: not a session duration");
	}

	@Test
	void analyzeWhenAnnotatedTypeMaxAgeInvalidThenReportNamesTheType() {
		FailureAnalysis analysis = startWithBean(UnparsableTypeMaxAgeService.class);
		assertThat(analysis.getDescription()).contains("Type: " + UnparsableTypeMaxAgeService.class.getName(),
				"Attribute: @RequiresPrivilegedSession(maxAge)", "Value: \"1 hour\"");
	}

	@Test
	void analyzeWhenAnnotatedInterfaceMethodMaxAgeInvalidThenReportNamesTheInterfaceMethod() {
		FailureAnalysis analysis = startWithBean(InterfaceMaxAgeService.class);
		assertThat(analysis.getDescription()).contains("Method: " + MaxAgeOperations.class.getName() + ".transfer()",
				"Value: \"-1\"", "Rule: a maximum age must not be negative; -1 does not turn the check off");
	}

	@Test
	void startupWhenApplicationYamlBreaksARuleThenReportNamesFileAndLine() {
		assertThat(failureReport("classpath:dev/sessiontimeout/autoconfigure/invalid-policy.yml")).contains("""
				Description:

				The session-timeout configuration is invalid:

				    Property: session-timeout.policies[0].idle
				    Value: "2h"
				    Origin: class path resource [dev/sessiontimeout/autoconfigure/invalid-policy.yml] - 7:13
				    Rule: in policy 'administrators', idle must not be longer than absolute,\
				 session-timeout.policies[0].absolute=1h (inherited from session-timeout.absolute)

				Action:

				Update your application's configuration:

				    session-timeout.policies[0].idle: shorten session-timeout.policies[0].idle to at most 1h, or set\
				 session-timeout.policies[0].absolute to at least 2h
				""");
	}

	@Test
	void startupWhenApplicationPropertiesHoldAnUnparsableDurationThenReportNamesFileAndLine() {
		assertThat(failureReport("classpath:dev/sessiontimeout/autoconfigure/invalid-duration.properties")).contains("""
				    Property: session-timeout.idle
				    Value: "banana"
				    Origin: class path resource [dev/sessiontimeout/autoconfigure/invalid-duration.properties] - 3:22
				    Rule: not a session duration
				""");
	}

	/**
	 * The whole report as Spring Boot logs it: one blank line between the description and
	 * "Action:", as in Spring Boot's own reports.
	 */
	@Test
	void startupWhenIdleUnparsableThenOneBlankLineBeforeAction() {
		assertThat(failureReport("classpath:dev/sessiontimeout/autoconfigure/invalid-duration.properties")).endsWith("""
				Description:

				The session-timeout configuration is invalid:

				    Property: session-timeout.idle
				    Value: "banana"
				    Origin: class path resource [dev/sessiontimeout/autoconfigure/invalid-duration.properties] - 3:22
				    Rule: not a session duration

				Action:

				Update your application's configuration:

				    session-timeout.idle: use a duration such as 30m, 8h, 1h30m, 1d12h or PT8H, a bare number of\
				 minutes such as 240, or -1 to disable the clock
				""");
	}

	@Test
	void startupWhenAbsoluteZeroThenOneBlankLineBeforeAction() {
		assertThat(failureReport("classpath:dev/sessiontimeout/autoconfigure/invalid-absolute.properties")).endsWith("""
				Description:

				The session-timeout configuration is invalid:

				    Property: session-timeout.absolute
				    Value: "0"
				    Origin: class path resource [dev/sessiontimeout/autoconfigure/invalid-absolute.properties] - 2:26
				    Rule: 0 is allowed only for the privileged age (always re-authenticate)

				Action:

				Update your application's configuration:

				    session-timeout.absolute: use a positive duration, or -1 to disable the clock
				""");
	}

	@Test
	void failureWhenMinusOneMinuteSpelledWithAUnitThenNegativeRatherThanADisabledClock() {
		// Only -1 disables a clock; -1m, -60s or PT-1M are negative durations, which
		// Spring Boot's own converter would otherwise bind to the very value of -1
		for (String property : List.of("session-timeout.absolute", "session-timeout.idle",
				"session-timeout.policies[0].absolute", "session-timeout.limits.absolute")) {
			for (String value : List.of("-1m", "-60s", "-60000ms", "-PT1M", "PT-1M")) {
				FailureAnalysis analysis = startWith(property + "=" + value,
						"session-timeout.policies[0].name=operators",
						"session-timeout.policies[0].authorities=ROLE_OPERATOR");
				assertThat(analysis.getDescription()).as("%s=%s", property, value)
					.contains("Property: " + property, "Value: \"" + value + "\"");
			}
		}
	}

	@Test
	void failureWhenMinusOneMinuteSpelledWithAUnitThenRuleSaysNegative() {
		// -1m is a duration, a negative one: the report says so, as it does for -5m,
		// rather than "not a session duration", which sends a user who meant to turn
		// the clock off looking for a syntax error
		for (String property : List.of("session-timeout.idle", "session-timeout.policies[0].absolute")) {
			for (String value : List.of("-1m", "-60s", "PT-1M")) {
				FailureAnalysis analysis = startWith(property + "=" + value,
						"session-timeout.policies[0].name=operators",
						"session-timeout.policies[0].authorities=ROLE_OPERATOR");
				assertThat(analysis.getDescription()).as("%s=%s", property, value)
					.contains("Property: " + property, "Value: \"" + value + "\"",
							"Rule: a duration must not be negative");
			}
		}
	}

	@Test
	void failureWhenDurationOverflowsTheDeadlinesThenReportNamesPropertyValueAndLongest() {
		// Such values start, and then every request with a session fails on an instant
		// beyond Instant.MAX
		for (String property : List.of("session-timeout.absolute", "session-timeout.store-grace",
				"session-timeout.response-check-interval", "session-timeout.limits.idle",
				"session-timeout.policies[0].idle")) {
			FailureAnalysis analysis = startWith(property + "=9999999999999d",
					"session-timeout.policies[0].name=operators",
					"session-timeout.policies[0].authorities=ROLE_OPERATOR", "session-timeout.policies[0].absolute=-1");
			assertThat(analysis.getDescription()).as(property)
				.contains("Property: " + property, "Value: \"9999999999999d\"", "at most 36500d");
		}
	}

	@Test
	void failureWhenPathPatternWithoutLeadingSlashThenReportNamesTheIndexedProperty() {
		// A pattern without a leading slash matches no request: privileged paths would
		// serve without a step-up, and polling would count as activity
		FailureAnalysis privileged = startWith("session-timeout.privileged.paths=/transfers/**,account/password/**");
		assertThat(privileged.getDescription())
			.contains("Property: session-timeout.privileged.paths[1]", "Value: \"account/password/**\"",
					"must start with /")
			.doesNotContain("paths[0]");
		assertThat(privileged.getAction()).contains("session-timeout.privileged.paths[1]: use /account/password/**");
		FailureAnalysis passive = startWith("session-timeout.activity.passive-paths=/api/poll,api/heartbeat");
		assertThat(passive.getDescription()).contains("Property: session-timeout.activity.passive-paths[1]",
				"Value: \"api/heartbeat\"");
	}

	@Test
	void startupWhenPathPatternsHoldWhitespaceThenReportNamesEachIndexedProperty() {
		// A request's path holds no whitespace, so such a pattern matches no request:
		// privileged paths would serve without a step-up, and polling would count as
		// activity. The properties format keeps a trailing space, and has no comment
		// after a value
		assertThat(
				failureReport("classpath:dev/sessiontimeout/autoconfigure/privileged-paths-with-whitespace.properties"))
			.contains("Property: session-timeout.privileged.paths[0]", "Value: \"/account/password \"",
					"Property: session-timeout.privileged.paths[1]",
					"Value: \"/transfers # money leaves the bank here\"");
	}

	/**
	 * A path with a leading space is refused (it matches no request), with a fix that
	 * works: the value without the space, not a second slash before it.
	 */
	@Test
	void startupWhenPathsBeginWithASpaceThenReportSuggestsTheTrimmedValues() {
		String pattern = failureReport("classpath:dev/sessiontimeout/autoconfigure/paths-with-a-leading-space.yml");
		assertThat(pattern).contains("Property: session-timeout.privileged.paths[0]", "Value: \" /account/**\"",
				"session-timeout.privileged.paths[0]: use /account/** (");
		assertThat(pattern).doesNotContain("//");
		String endpoint = failureReport(
				"classpath:dev/sessiontimeout/autoconfigure/endpoint-path-with-a-leading-space.yml");
		assertThat(endpoint).contains("Property: session-timeout.status.path", "Value: \" /session/status\"",
				"session-timeout.status.path: use /session/status\n");
		assertThat(endpoint).doesNotContain("//");
	}

	@Test
	void startupWhenAPathPatternEndsWithANoBreakSpaceThenReportNamesTheIndexedProperty() {
		// Pasted from a document: Spring Boot's comma form trims none, strip() and \s
		// see none, and the pattern matches no request
		FailureAnalysis analysis = startWith(
				"session-timeout.privileged.paths=/account/password\u00A0,/transfers\u202F# money");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.privileged.paths[0]",
				"Property: session-timeout.privileged.paths[1]");
	}

	@Test
	void startupWhenAPathPatternHoldsASpaceWithinASegmentThenStarts() {
		// Path patterns match the decoded path: /files/annual report/** matches a request
		// for /files/annual%20report/2026.pdf, so such a pattern is no mistake
		this.contextRunner
			.withPropertyValues("session-timeout.privileged.paths=/files/annual report/**",
					"session-timeout.activity.passive-paths=/api/poll now")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void failureWhenExpiredUrlHasTheReasonInItsPathThenReportNamesPropertyValueAndFix() {
		// The expired page is recognised by its path, which must not vary with the reason
		FailureAnalysis analysis = startWith("session-timeout.expired-url=/expired/{reason}");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.expired-url",
				"Value: \"/expired/{reason}\"", "{reason} may only be in the query");
		assertThat(analysis.getAction()).contains("session-timeout.expired-url: use /expired?reason={reason}");
	}

	@Test
	void failureWhenExpiredUrlIsNeitherAPathNorAnAbsoluteUrlThenReportNamesPropertyValueAndFix() {
		for (String url : new String[] { "login?expired={reason}", " ", "ftp://example.com/login" }) {
			FailureAnalysis analysis = startWith("session-timeout.expired-url=" + url);
			assertThat(analysis.getDescription()).as(url)
				.contains("Property: session-timeout.expired-url",
						"must be a path of the application, starting with /, or an http(s) URL");
			assertThat(analysis.getAction()).as(url).contains("use /login?expired={reason}");
		}
	}

	@Test
	void startupWhenExpiredUrlHoldsWhitespaceThenReportNamesPropertyAndValue() {
		// A browser strips the trailing space of the redirect's Location, and the
		// expired page, recognised by the configured path, would not be recognised
		assertThat(failureReport("classpath:dev/sessiontimeout/autoconfigure/expired-url-with-whitespace.properties"))
			.contains("Property: session-timeout.expired-url", "Value: \"/signed-out \"", "must not hold whitespace");
	}

	@Test
	void startupWhenExpiredUrlIsAPathOrAnAbsoluteUrlThenStarts() {
		for (String url : new String[] { "/signed-out?why={reason}", "/login", "https://example.com/login?e={reason}",
				"/login#{reason}" }) {
			this.contextRunner.withPropertyValues("session-timeout.expired-url=" + url)
				.run((context) -> assertThat(context).as(url).hasNotFailed());
		}
	}

	@Test
	void failureWhenPathPatternBlankThenReportNamesTheIndexedProperty() {
		FailureAnalysis analysis = startWith("session-timeout.activity.passive-paths=/api/poll,,/api/heartbeat");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.activity.passive-paths[1]",
				"Value: \"\"", "must not be blank");
	}

	@Test
	void failureWhenEndpointPathIsNotAPathThenReportNamesPropertyValueAndFix() {
		// The passive GET of the endpoint is matched on the path as written, which
		// Spring MVC serves with a leading slash: the banner's polling would keep the
		// session alive
		FailureAnalysis status = startWith("session-timeout.status.path=session/status");
		assertThat(status.getDescription()).contains("Property: session-timeout.status.path",
				"Value: \"session/status\"");
		assertThat(status.getAction()).contains("session-timeout.status.path: use /session/status");
		FailureAnalysis blank = startWith("session-timeout.sessions.path=");
		assertThat(blank.getDescription()).contains("Property: session-timeout.sessions.path", "Value: \"\"");
	}

	@Test
	void failureWhenStatusAndSessionsPathsAreTheSameThenReportNamesBoth() {
		FailureAnalysis analysis = startWith("session-timeout.sessions.path=/session/status");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.sessions.path",
				"Value: \"/session/status\"", "session-timeout.status.path");
	}

	@Test
	void startupWhenEnabledIsNotABooleanThenFailsRatherThanTurningTheStarterOff() {
		// A typo must not turn every session clock off
		assertThat(failureReport("classpath:dev/sessiontimeout/autoconfigure/enabled-not-a-boolean.properties"))
			.contains("Property: session-timeout.enabled", "Value: \"maybe\"");
	}

	@Test
	void startupWhenYamlDurationsAreNumbersThenMinutesAndMinusOneDisables() {
		// YAML reads 240 and -1 as numbers, not text: still minutes and a disabled clock
		this.contextRunner.withInitializer((context) -> {
			try {
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new YamlPropertySourceLoader()
						.load("yaml",
								new ClassPathResource(
										"dev/sessiontimeout/autoconfigure/durations-yaml-reads-as-numbers.yml"))
						.get(0));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).run((context) -> {
			assertThat(context).hasNotFailed();
			SessionTimeoutProperties properties = context.getBean(SessionTimeoutProperties.class);
			assertThat(properties.getAbsolute()).isEqualTo(Duration.ofHours(8));
			assertThat(properties.getIdle()).isEqualTo(Duration.ofMinutes(240));
			assertThat(properties.getReauthentication()).isEqualTo(SessionDurations.DISABLED);
			assertThat(properties.getPolicies().get(0).getIdle()).isEqualTo(Duration.ofHours(1));
		});
	}

	@Test
	void orderWhenAnalyzersSortedThenFirst() {
		assertThat(this.analyzer.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
	}

	@Test
	void converterWhenSessionDurationFieldThenMatches() {
		SessionDurationConverter converter = new SessionDurationConverter();
		TypeDescriptor string = TypeDescriptor.valueOf(String.class);
		TypeDescriptor idle = new TypeDescriptor(ReflectionUtils.findField(SessionTimeoutProperties.class, "idle"));
		assertThat(converter.matches(string, idle)).isTrue();
		assertThat(converter.matches(string, TypeDescriptor.valueOf(Duration.class))).isFalse();
		assertThat(converter.convert("1h13m3s", string, idle))
			.isEqualTo(Duration.ofHours(1).plusMinutes(13).plusSeconds(3));
		assertThat(converter.convert("-1", string, idle)).isEqualTo(SessionDurations.DISABLED);
		assertThat(converter.convert(" ", string, idle)).isNull();
		assertThat(converter.convert(null, string, idle)).isNull();
	}

	@Test
	void converterWhenGarbageThenInvalidSessionDuration() {
		SessionDurationConverter converter = new SessionDurationConverter();
		TypeDescriptor idle = new TypeDescriptor(ReflectionUtils.findField(SessionTimeoutProperties.class, "idle"));
		assertThatExceptionOfType(InvalidSessionDurationException.class)
			.isThrownBy(() -> converter.convert("12x", TypeDescriptor.valueOf(String.class), idle));
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
	void privilegedAnnotationWhenMaxAgeNotADurationThenStartupFailsWithReportNamingMethodAndFix() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(SoonMaxAgeService.class)
			.run((context) -> {
				assertThat(context).getFailure().hasRootCauseInstanceOf(InvalidSessionDurationException.class);
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(
						"Method: " + SoonMaxAgeService.class.getName() + ".transfer()",
						"Attribute: @RequiresPrivilegedSession(maxAge)", "Value: \"soon\"",
						"Rule: not a session duration");
				assertThat(analysis.getAction()).startsWith("Update your application's code:")
					.contains("@RequiresPrivilegedSession(maxAge) on " + SoonMaxAgeService.class.getName()
							+ ".transfer(): use a duration of zero or more");
			});
	}

	@Test
	void privilegedAnnotationWhenMaxAgeNegativeThenStartupFailsWithReport() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(NegativeNoArgumentMaxAgeService.class)
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Method: " + NegativeNoArgumentMaxAgeService.class.getName() + ".transfer()", "Value: \"-5m\"",
					"Rule: a maximum age must not be negative"));
	}

	@Test
	void privilegedAnnotationWhenOnAFinalMethodThenStartupFailsWithReportNamingMethodAndFix() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(FinalMethodService.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(
						"Method: " + FinalMethodService.class.getName() + ".payOut()",
						"Rule: a final method is not intercepted by the proxy that checks it, so it would run"
								+ " unchecked");
				assertThat(analysis.getAction())
					.contains("@RequiresPrivilegedSession on " + FinalMethodService.class.getName() + ".payOut()");
			});
	}

	@Test
	void privilegedAnnotationWhenOnAPrivateOrStaticMethodThenStartupFails() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(PrivateMethodService.class)
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Method: " + PrivateMethodService.class.getName() + ".payOut()",
					"Rule: a private method is not intercepted by the proxy that checks it"));
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(StaticMethodService.class)
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Method: " + StaticMethodService.class.getName() + ".payOut()",
					"Rule: a static method is not intercepted by the proxy that checks it"));
	}

	@Test
	void privilegedAnnotationWhenOnATypeWithAFinalMethodThenStartupFailsButItsPrivateMethodsAreFine() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(FinalMethodOfAnnotatedType.class)
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Method: " + FinalMethodOfAnnotatedType.class.getName() + ".close()",
					"Rule: a final method is not intercepted"));
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(PrivateHelperOfAnnotatedType.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	/**
	 * The annotation on a type makes the methods the type inherits privileged too (an
	 * unannotated base class's), as it does those it declares: a final one of them is not
	 * intercepted by the proxy, and would run unchecked.
	 */
	@Test
	void privilegedAnnotationWhenOnATypeThatInheritsAFinalMethodThenStartupFails() throws NoSuchMethodException {
		assertThat(RequiresPrivilegedSessionPointcut.find(UnannotatedBaseWithAFinalMethod.class.getMethod("payOut"),
				InheritedFinalMethodOfAnnotatedType.class))
			.as("privileged as the methods the type declares")
			.isNotNull();
		this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
			.withBean(InheritedFinalMethodOfAnnotatedType.class)
			.run((context) -> assertThat(analyze(context).getDescription()).contains(
					"Method: " + UnannotatedBaseWithAFinalMethod.class.getName() + ".payOut()",
					"Rule: a final method is not intercepted"));
	}

	/**
	 * Spring Session with its filter, which Spring Boot registers.
	 */
	private WebApplicationContextRunner withSpringSessionFilter() {
		return withSpringSession().withUserConfiguration(SpringHttpSessionConfiguration.class);
	}

	private WebApplicationContextRunner withSpringSession() {
		return this.contextRunner.withConfiguration(AutoConfigurations.of(SessionAutoConfiguration.class))
			.withBean("sessionRepository", MapSessionRepository.class, () -> new MapSessionRepository(new HashMap<>()));
	}

	private static ReactiveWebApplicationContextRunner reactive() {
		return new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionTimeoutReactiveAutoConfiguration.class));
	}

	private static FailureAnalysis analyze(ReactiveWebApplicationContextRunner runner) {
		AtomicReference<Environment> environment = new AtomicReference<>();
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		runner.withInitializer((context) -> environment.set(context.getEnvironment())).run((context) -> {
			assertThat(context).hasFailed();
			analysis.set(new SessionTimeoutFailureAnalyzer(environment.get()).analyze(context.getStartupFailure()));
		});
		assertThat(analysis.get()).isNotNull();
		return analysis.get();
	}

	private FailureAnalysis startWith(String... properties) {
		return analyze(this.contextRunner.withPropertyValues(properties));
	}

	private FailureAnalysis startWithBean(Class<?> bean) {
		return analyze(
				this.contextRunner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class)).withBean(bean));
	}

	private static FailureAnalysis analyze(WebApplicationContextRunner runner) {
		AtomicReference<Environment> environment = new AtomicReference<>();
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		runner.withInitializer((context) -> environment.set(context.getEnvironment())).run((context) -> {
			assertThat(context).hasFailed();
			analysis.set(new SessionTimeoutFailureAnalyzer(environment.get()).analyze(context.getStartupFailure()));
		});
		assertThat(analysis.get()).isNotNull();
		return analysis.get();
	}

	private static FailureAnalysis analyze(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new SessionTimeoutFailureAnalyzer(null).analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("The session-timeout configuration is invalid:");
		assertThat(analysis.getCause()).isSameAs(context.getStartupFailure());
		return analysis;
	}

	private static void assertReport(FailureAnalysis analysis, String description, String action) {
		assertThat(analysis.getDescription().replace(System.lineSeparator(), "\n")).isEqualTo(description);
		assertThat(analysis.getAction().replace(System.lineSeparator(), "\n")).isEqualTo(action);
	}

	/**
	 * Assert the whole report of a session cookie {@code Max-Age} that the test's
	 * properties set.
	 */
	private static void assertCookieMaxAgeReport(FailureAnalysis analysis, String property, String value) {
		assertReport(analysis, """
				The session-timeout configuration is invalid:

				    Property: %1$s
				    Value: "%2$s"
				    Origin: "%1$s" from property source "test"
				    Rule: %3$s""".formatted(property, value, COOKIE_MAX_AGE_RULE), """
				Update your application's configuration:

				    %s: %s""".formatted(property, COOKIE_MAX_AGE_FIX));
	}

	/**
	 * Assert that a report names a session cookie {@code Max-Age} property, its value and
	 * the rule it breaks.
	 */
	private static void assertNamesCookieMaxAge(FailureAnalysis analysis, String property, String value) {
		assertNamesCookieMaxAge(property + "=" + value, analysis, property, value);
	}

	private static void assertNamesCookieMaxAge(String set, FailureAnalysis analysis, String property, String value) {
		assertThat(analysis.getDescription()).as(set)
			.contains("Property: " + property, "Value: \"" + value + "\"", "Rule: " + COOKIE_MAX_AGE_RULE);
	}

	/**
	 * Return an initializer that gives the application's environment an environment
	 * variable, ahead of every other property source.
	 */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> environmentVariable(String name,
			String value) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", Map.of(name, value)));
	}

	/**
	 * Start an application that must fail and return the report that Spring Boot logs at
	 * {@code ERROR}, taken from its reporter's logger so that it stays out of the build's
	 * output.
	 */
	private static String failureReport(String configLocation) {
		SpringApplication application = new SpringApplication(ReportApplication.class);
		application.setWebApplicationType(WebApplicationType.SERVLET);
		application.setApplicationContextFactory(
				ApplicationContextFactory.ofContextClass(AnnotationConfigServletWebApplicationContext.class));
		application.setBannerMode(Banner.Mode.OFF);
		Logger reporter = (Logger) LoggerFactory
			.getLogger("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter");
		ListAppender<ILoggingEvent> report = new ListAppender<>();
		application.addInitializers((context) -> {
			report.start();
			reporter.addAppender(report);
			reporter.setAdditive(false);
		});
		try {
			assertThatExceptionOfType(BeanCreationException.class)
				.isThrownBy(() -> application.run("--spring.config.location=" + configLocation));
		}
		finally {
			reporter.setAdditive(true);
			reporter.detachAppender(report);
		}
		return report.list.stream()
			.map(ILoggingEvent::getFormattedMessage)
			.collect(Collectors.joining())
			.replace(System.lineSeparator(), "\n");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SessionTimeoutAutoConfiguration.class, SessionTimeoutSecurityAutoConfiguration.class })
	static class ReportApplication {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WarApplication {

	}

	@Configuration(proxyBeanMethods = false)
	static class RequestOnlyFilterRegistration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(SessionTimeoutFilter.DEFAULT_ORDER);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ForwardsOnlyPrivilegedDispatchFilterRegistration {

		@Bean
		FilterRegistrationBean<PrivilegedDispatchFilter> sessionTimeoutPrivilegedDispatchFilterRegistration(
				ServletSessionClocks clocks, ServletSessionAnswers answers) {
			FilterRegistrationBean<PrivilegedDispatchFilter> registration = new FilterRegistrationBean<>(
					new PrivilegedDispatchFilter(clocks, answers));
			registration.setDispatcherTypes(DispatcherType.FORWARD, DispatcherType.INCLUDE, DispatcherType.ERROR);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OtherNamedFilterRegistration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> myFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EveryDispatcherTypeFilterRegistration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setOrder(SessionTimeoutFilter.DEFAULT_ORDER);
			registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
			registration.addUrlPatterns("/*");
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultOrderFilterRegistration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DisabledFilterRegistration {

		@Bean
		FilterRegistrationBean<SessionTimeoutFilter> sessionTimeoutFilterRegistration(SessionTimeoutFilter filter) {
			FilterRegistrationBean<SessionTimeoutFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setEnabled(false);
			return registration;
		}

	}

	static class NegativeMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "-5m")
		public void transfer(String account, int[] amounts) {
		}

	}

	static class HourMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "1h")
		public void transfer() {
		}

	}

	static class FifteenMinutesMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "15m")
		public void transfer() {
		}

	}

	static class UnparsableMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "banana")
		public void transfer() {
		}

	}

	@RequiresPrivilegedSession(maxAge = "1 hour")
	static class UnparsableTypeMaxAgeService {

		public void transfer() {
		}

	}

	interface MaxAgeOperations {

		@RequiresPrivilegedSession(maxAge = "-1")
		void transfer();

	}

	static class InterfaceMaxAgeService implements MaxAgeOperations {

		@Override
		public void transfer() {
		}

	}

	static class SoonMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "soon")
		public void transfer() {
		}

	}

	static class NegativeNoArgumentMaxAgeService {

		@RequiresPrivilegedSession(maxAge = "-5m")
		public void transfer() {
		}

	}

	static class FinalMethodService {

		@RequiresPrivilegedSession
		public final void payOut() {
		}

	}

	static class PrivateMethodService {

		@RequiresPrivilegedSession
		private void payOut() {
		}

		public void run() {
			payOut();
		}

	}

	static class StaticMethodService {

		@RequiresPrivilegedSession
		public static void payOut() {
		}

	}

	@RequiresPrivilegedSession
	static class FinalMethodOfAnnotatedType {

		public void open() {
		}

		public final void close() {
		}

	}

	static class UnannotatedBaseWithAFinalMethod {

		public final void payOut() {
		}

	}

	@RequiresPrivilegedSession
	static class InheritedFinalMethodOfAnnotatedType extends UnannotatedBaseWithAFinalMethod {

		public void open() {
		}

	}

	@RequiresPrivilegedSession
	static class PrivateHelperOfAnnotatedType {

		public void open() {
			helper();
		}

		private void helper() {
		}

		static void utility() {
		}

	}

}
