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
package dev.sessiontimeout.internal.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.util.Assert;

import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.PolicyRule;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.users.UserSession;
import dev.sessiontimeout.internal.users.UserSessionLookup;
import dev.sessiontimeout.internal.web.SessionDescriptions;

/**
 * The {@code sessiontimeouts} actuator endpoint: the effective configuration, the
 * sessions of a user with every deadline, and their revocation.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@Endpoint(id = "sessiontimeouts")
public class SessionTimeoutsEndpoint {

	private static final Log logger = LogFactory.getLog(SessionTimeoutsEndpoint.class);

	private final SessionTimeoutSettings settings;

	private static final String NO_SPRING_SESSION = "Sessions by user need Spring Session on the classpath"
			+ " (spring-session-core, for the container's sessions too); this application has none";

	private final @Nullable UserSessionLookup userSessions;

	private final String withoutUserSessions;

	/**
	 * Create a new endpoint.
	 * @param settings the effective configuration
	 * @param userSessions the sessions by user, or {@code null} without Spring Session
	 */
	public SessionTimeoutsEndpoint(SessionTimeoutSettings settings, @Nullable UserSessionLookup userSessions) {
		this(settings, userSessions, NO_SPRING_SESSION);
	}

	private SessionTimeoutsEndpoint(SessionTimeoutSettings settings, @Nullable UserSessionLookup userSessions,
			String withoutUserSessions) {
		this.settings = settings;
		this.userSessions = userSessions;
		this.withoutUserSessions = withoutUserSessions;
	}

	/**
	 * Create an endpoint that shows the effective configuration and answers {@code 501}
	 * to the operations on a user's sessions.
	 * @param settings the effective configuration
	 * @param reason why sessions cannot be found by user, the message of that answer
	 * @return the endpoint
	 */
	public static SessionTimeoutsEndpoint withoutUserSessions(SessionTimeoutSettings settings, String reason) {
		Assert.hasText(reason, "'reason' must not be empty");
		return new SessionTimeoutsEndpoint(settings, null, reason);
	}

	/**
	 * Return the effective configuration.
	 * @return the globals, preset, deviation, limits, store grace and policies
	 */
	@ReadOperation
	public Map<String, @Nullable Object> configuration() {
		Map<String, @Nullable Object> configuration = new LinkedHashMap<>();
		configuration.put("global", clocks(this.settings.getDefaultPolicy()));
		configuration.put("preset", (this.settings.getPreset() != null) ? this.settings.getPreset().value() : null);
		configuration.put("presetDeviation", this.settings.getPresetDeviation());
		Limits limits = this.settings.getLimits();
		Map<String, @Nullable Object> ceilings = new LinkedHashMap<>();
		ceilings.put("absolute", text(limits.absolute()));
		ceilings.put("idle", text(limits.idle()));
		ceilings.put("reauthentication", text(limits.reauthentication()));
		configuration.put("limits", ceilings);
		configuration.put("storeGrace", SessionDurations.format(this.settings.getStoreGrace()));
		List<Map<String, @Nullable Object>> policies = new ArrayList<>();
		for (PolicyRule rule : this.settings.getPolicies()) {
			Map<String, @Nullable Object> policy = clocks(rule.policy());
			policy.put("authorities", rule.authorities().stream().sorted().toList());
			policy.put("rememberMe", rule.rememberMe());
			policies.add(policy);
		}
		configuration.put("policies", policies);
		return configuration;
	}

	/**
	 * Return the sessions of a user.
	 * @param username the user name
	 * @return the sessions, {@code 501} when the store cannot find sessions by user, or
	 * {@code 503} when it does not answer
	 */
	@ReadOperation
	public WebEndpointResponse<Object> sessions(@Selector String username) {
		String unsupported = unsupportedReason();
		if (unsupported != null) {
			return new WebEndpointResponse<>(Map.of("message", unsupported), 501);
		}
		List<UserSession> found;
		try {
			found = this.userSessions.find(username);
		}
		catch (RuntimeException ex) {
			return unavailable(username, ex, "its sessions could not be read");
		}
		List<Map<String, @Nullable Object>> sessions = new ArrayList<>();
		for (UserSession session : found) {
			sessions.add(describe(session));
		}
		return new WebEndpointResponse<>(Map.of("username", username, "sessions", sessions));
	}

	/**
	 * Revoke every session of a user.
	 * @param username the user name
	 * @return the revoked sessions, {@code 501} when the store cannot find sessions by
	 * user, or {@code 503} when it does not answer (then no session is reported revoked)
	 */
	@DeleteOperation
	public WebEndpointResponse<Object> revoke(@Selector String username) {
		String unsupported = unsupportedReason();
		if (unsupported != null) {
			return new WebEndpointResponse<>(Map.of("message", unsupported), 501);
		}
		List<String> revoked;
		try {
			revoked = this.userSessions.revoke(username);
		}
		catch (RuntimeException ex) {
			return unavailable(username, ex,
					"some of its sessions may be revoked and others not: send the revocation again once it answers");
		}
		return new WebEndpointResponse<>(Map.of("username", username, "revoked", revoked));
	}

	/**
	 * Answer an operation on a user's sessions that the store did not answer with a
	 * {@code 503}, reporting no session; rethrow any other failure.
	 */
	private static WebEndpointResponse<Object> unavailable(String username, RuntimeException ex, String outcome) {
		if (!StoreFailures.isUnavailable(ex)) {
			throw ex;
		}
		logger.warn("The session store did not answer an operation on a user's sessions: " + ex);
		return new WebEndpointResponse<>(
				Map.of("username", username, "message", "The session store did not answer: " + outcome), 503);
	}

	private @Nullable String unsupportedReason() {
		if (this.userSessions == null) {
			return this.withoutUserSessions;
		}
		return this.userSessions.unsupportedReason();
	}

	private static Map<String, @Nullable Object> describe(UserSession session) {
		Map<String, @Nullable Object> description = new LinkedHashMap<>();
		description.put("session", session.handle());
		description.put("policy", session.policy());
		SessionStatus status = session.status();
		if (status != null) {
			SessionDescriptions.putClocks(description, status);
			description.put("authenticatedAt", SessionDescriptions.text(session.authenticatedAt()));
		}
		description.put("revokedAt", SessionDescriptions.text(session.revokedAt()));
		description.put("device", session.device());
		description.put("address", session.address());
		return description;
	}

	private static Map<String, @Nullable Object> clocks(SessionTimeoutPolicy policy) {
		Map<String, @Nullable Object> clocks = new LinkedHashMap<>();
		clocks.put("name", policy.name());
		clocks.put("absolute", text(policy.absolute()));
		clocks.put("idle", text(policy.idle()));
		clocks.put("reauthentication", text(policy.reauthentication()));
		clocks.put("privilegedMaxAge", text(policy.privilegedMaxAge()));
		clocks.put("cookiePersistent", policy.cookiePersistent());
		return clocks;
	}

	private static String text(@Nullable Duration duration) {
		return SessionDurations.format(duration);
	}

}
