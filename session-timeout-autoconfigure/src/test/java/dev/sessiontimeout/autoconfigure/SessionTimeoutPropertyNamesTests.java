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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.sessiontimeout.internal.policy.PolicyRef;
import dev.sessiontimeout.internal.policy.SessionClock;
import dev.sessiontimeout.internal.policy.Setting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link SessionTimeoutPropertyNames}.
 *
 * @author session-timeout
 */
class SessionTimeoutPropertyNamesTests {

	private static final PolicyRef ADMINISTRATORS = PolicyRef.of(0, "administrators");

	private static final PolicyRef THIRD = PolicyRef.of(2, "operators");

	@Test
	void ofWhenGlobalClocksThenTopLevelPropertiesAndPrivilegedMaxAgeUnderPrivileged() {
		assertThat(Stream.of(SessionClock.values()).map((clock) -> name(Setting.clock(PolicyRef.GLOBAL, clock))))
			.containsExactly("session-timeout.absolute", "session-timeout.idle", "session-timeout.reauthentication",
					"session-timeout.privileged.max-age");
	}

	@Test
	void ofWhenPolicyClocksThenIndexedPropertiesAndPrivilegedMaxAgeInOneWord() {
		assertThat(Stream.of(SessionClock.values()).map((clock) -> name(Setting.clock(THIRD, clock)))).containsExactly(
				"session-timeout.policies[2].absolute", "session-timeout.policies[2].idle",
				"session-timeout.policies[2].reauthentication", "session-timeout.policies[2].privileged-max-age");
	}

	@Test
	void ofWhenCookiePersistentThenUnderCookieGloballyAndInOneWordForAPolicy() {
		assertThat(name(Setting.cookiePersistent(PolicyRef.GLOBAL))).isEqualTo("session-timeout.cookie.persistent");
		assertThat(name(Setting.cookiePersistent(THIRD))).isEqualTo("session-timeout.policies[2].cookie-persistent");
	}

	@Test
	void ofWhenLimitsThenUnderLimits() {
		assertThat(name(Setting.limit(SessionClock.ABSOLUTE))).isEqualTo("session-timeout.limits.absolute");
		assertThat(name(Setting.limit(SessionClock.IDLE))).isEqualTo("session-timeout.limits.idle");
		assertThat(name(Setting.limit(SessionClock.REAUTHENTICATION)))
			.isEqualTo("session-timeout.limits.reauthentication");
	}

	@Test
	void ofWhenGlobalOnlySettingsThenTopLevelProperties() {
		assertThat(name(Setting.storeGrace())).isEqualTo("session-timeout.store-grace");
		assertThat(name(Setting.responseCheckInterval())).isEqualTo("session-timeout.response-check-interval");
		assertThat(name(Setting.presetDeviation())).isEqualTo("session-timeout.preset-deviation");
	}

	@Test
	void ofWhenPolicyConditionsThenIndexedProperties() {
		assertThat(name(Setting.name(THIRD))).isEqualTo("session-timeout.policies[2].name");
		assertThat(name(Setting.authorities(THIRD))).isEqualTo("session-timeout.policies[2].authorities");
		assertThat(name(Setting.authority(THIRD, 0))).isEqualTo("session-timeout.policies[2].authorities[0]");
		assertThat(name(Setting.authority(THIRD, 11))).isEqualTo("session-timeout.policies[2].authorities[11]");
		assertThat(name(Setting.rememberMe(THIRD))).isEqualTo("session-timeout.policies[2].remember-me");
	}

	@Test
	void ofWhenPolicyWithoutNameThenNamedByIndexAlone() {
		assertThat(name(Setting.name(PolicyRef.of(4, null)))).isEqualTo("session-timeout.policies[4].name");
		assertThat(name(Setting.clock(PolicyRef.of(4, "  "), SessionClock.IDLE)))
			.isEqualTo("session-timeout.policies[4].idle");
	}

	@Test
	void prefixWhenGlobalOrPolicyThenPrefixOfTheirProperties() {
		assertThat(SessionTimeoutPropertyNames.prefix(PolicyRef.GLOBAL)).isEqualTo("session-timeout.");
		assertThat(SessionTimeoutPropertyNames.prefix(ADMINISTRATORS)).isEqualTo("session-timeout.policies[0].");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("settings")
	void ofWhenBoundThenThePropertyThatHoldsTheSetting(Setting setting, String value,
			Function<SessionTimeoutProperties, Object> read, Object expected) {
		SessionTimeoutProperties properties = new SessionTimeoutProperties();
		new Binder(new MapConfigurationPropertySource(Map.of(name(setting), value))).bind("session-timeout",
				Bindable.ofInstance(properties));
		assertThat(read.apply(properties)).isEqualTo(expected);
	}

	@Test
	void settingsWhenBindingIsTestedThenEveryKindOfSettingIsAmongThem() {
		assertThat(settings().map((arguments) -> ((Setting) arguments.get()[0]).kind()))
			.containsAll(EnumSet.allOf(Setting.Kind.class));
	}

	static Stream<Arguments> settings() {
		return Stream.of(
				arguments(Setting.clock(PolicyRef.GLOBAL, SessionClock.ABSOLUTE), "2h",
						read(SessionTimeoutProperties::getAbsolute), Duration.ofHours(2)),
				arguments(Setting.clock(PolicyRef.GLOBAL, SessionClock.IDLE), "2h",
						read(SessionTimeoutProperties::getIdle), Duration.ofHours(2)),
				arguments(Setting.clock(PolicyRef.GLOBAL, SessionClock.REAUTHENTICATION), "2h",
						read(SessionTimeoutProperties::getReauthentication), Duration.ofHours(2)),
				arguments(Setting.clock(PolicyRef.GLOBAL, SessionClock.PRIVILEGED), "2h",
						read((properties) -> properties.getPrivileged().getMaxAge()), Duration.ofHours(2)),
				arguments(Setting.cookiePersistent(PolicyRef.GLOBAL), "true",
						read((properties) -> properties.getCookie().isPersistent()), true),
				arguments(Setting.limit(SessionClock.ABSOLUTE), "2h",
						read((properties) -> properties.getLimits().getAbsolute()), Duration.ofHours(2)),
				arguments(Setting.limit(SessionClock.IDLE), "2h",
						read((properties) -> properties.getLimits().getIdle()), Duration.ofHours(2)),
				arguments(Setting.limit(SessionClock.REAUTHENTICATION), "2h",
						read((properties) -> properties.getLimits().getReauthentication()), Duration.ofHours(2)),
				arguments(Setting.storeGrace(), "5s", read(SessionTimeoutProperties::getStoreGrace),
						Duration.ofSeconds(5)),
				arguments(Setting.responseCheckInterval(), "30s",
						read(SessionTimeoutProperties::getResponseCheckInterval), Duration.ofSeconds(30)),
				arguments(Setting.presetDeviation(), "Kiosks", read(SessionTimeoutProperties::getPresetDeviation),
						"Kiosks"),
				arguments(Setting.clock(ADMINISTRATORS, SessionClock.ABSOLUTE), "2h",
						readPolicy(SessionTimeoutPolicyProperties::getAbsolute), Duration.ofHours(2)),
				arguments(Setting.clock(ADMINISTRATORS, SessionClock.IDLE), "2h",
						readPolicy(SessionTimeoutPolicyProperties::getIdle), Duration.ofHours(2)),
				arguments(Setting.clock(ADMINISTRATORS, SessionClock.REAUTHENTICATION), "2h",
						readPolicy(SessionTimeoutPolicyProperties::getReauthentication), Duration.ofHours(2)),
				arguments(Setting.clock(ADMINISTRATORS, SessionClock.PRIVILEGED), "2h",
						readPolicy(SessionTimeoutPolicyProperties::getPrivilegedMaxAge), Duration.ofHours(2)),
				arguments(Setting.cookiePersistent(ADMINISTRATORS), "true",
						readPolicy(SessionTimeoutPolicyProperties::getCookiePersistent), true),
				arguments(Setting.name(ADMINISTRATORS), "administrators",
						readPolicy(SessionTimeoutPolicyProperties::getName), "administrators"),
				arguments(Setting.authorities(ADMINISTRATORS), "ROLE_ADMIN,ROLE_ROOT",
						readPolicy(SessionTimeoutPolicyProperties::getAuthorities), List.of("ROLE_ADMIN", "ROLE_ROOT")),
				arguments(Setting.authority(ADMINISTRATORS, 0), "ROLE_ADMIN",
						readPolicy(SessionTimeoutPolicyProperties::getAuthorities), List.of("ROLE_ADMIN")),
				arguments(Setting.rememberMe(ADMINISTRATORS), "true",
						readPolicy(SessionTimeoutPolicyProperties::getRememberMe), true));
	}

	private static Function<SessionTimeoutProperties, Object> read(Function<SessionTimeoutProperties, Object> read) {
		return read;
	}

	private static Function<SessionTimeoutProperties, Object> readPolicy(
			Function<SessionTimeoutPolicyProperties, Object> read) {
		return (properties) -> read.apply(properties.getPolicies().get(0));
	}

	private static String name(Setting setting) {
		return SessionTimeoutPropertyNames.of(setting);
	}

}
