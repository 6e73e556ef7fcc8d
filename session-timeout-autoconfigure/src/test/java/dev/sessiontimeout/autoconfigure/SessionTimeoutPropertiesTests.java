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

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.PolicyRule;
import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for binding {@link SessionTimeoutProperties} and resolving the policies they
 * configure.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionTimeoutPropertiesTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
				SessionTimeoutSecurityAutoConfiguration.class, SessionTimeoutOAuth2ClientAutoConfiguration.class));

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
	void contextWhenPassivePathsAreValidPatternsThenStarts() {
		this.contextRunner.withPropertyValues("session-timeout.activity.passive-paths=/api/poll/**")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(SessionTimeoutFilter.class));
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
	void privilegedPathsWhenValidPatternsThenStarts() {
		this.contextRunner.withPropertyValues("session-timeout.privileged.paths=/account/password/**,/admin/**")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionTimeoutProperties.class).getPrivileged().getPaths())
					.containsExactly("/account/password/**", "/admin/**");
			});
	}

	private static SessionTimeoutPolicy policy(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(SessionTimeoutSettings.class).getDefaultPolicy();
	}

}
