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
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * Configuration properties for session lifetimes. Every duration accepts Spring Boot's
 * formats ({@code 30m}, {@code PT8H}), compound values ({@code 1h13m3s}), a bare number
 * of minutes, and {@code -1} to disable the clock.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@ConfigurationProperties("session-timeout")
public class SessionTimeoutProperties extends AbstractSessionClocksProperties {

	/**
	 * Whether to enforce session lifetimes.
	 */
	private boolean enabled = true;

	/**
	 * Preset that supplies the default values.
	 */
	private @Nullable Preset preset;

	/**
	 * Written justification for values weaker than the preset's.
	 */
	private @Nullable String presetDeviation;

	/**
	 * How long a store keeps an ended session so that the next request can tell why it
	 * ended.
	 */
	@SessionDuration
	private Duration storeGrace = SessionTimeoutSettings.DEFAULT_STORE_GRACE;

	/**
	 * How often a response that outlives the decision to serve it (server-sent events, a
	 * streamed body, a deferred result) reads its session from the store again, to stop
	 * after a revocation or logout. Deadlines stop it at once, without a store read.
	 */
	@SessionDuration
	private Duration responseCheckInterval = SessionTimeoutSettings.DEFAULT_RESPONSE_CHECK_INTERVAL;

	/**
	 * Whether a servlet response that outlives its request's own dispatch (server-sent
	 * events, a streamed body, a servlet's own asynchronous writes) is checked against
	 * its session before each write. Off, such a response is decided once, at its start,
	 * and the application gets the request and response without the starter's wrappers; a
	 * deferred result is still checked when it is dispatched.
	 */
	private boolean watchStreamedResponses = true;

	/**
	 * Where browsers whose session ended are redirected; '{reason}' is replaced by the
	 * reason.
	 */
	private String expiredUrl = "/login?expired={reason}";

	private final Activity activity = new Activity();

	@NestedConfigurationProperty
	private final SessionTimeoutStatusProperties status = new SessionTimeoutStatusProperties();

	private final Script script = new Script();

	private final Sessions sessions = new Sessions();

	@NestedConfigurationProperty
	private final SessionTimeoutPrivilegedProperties privileged = new SessionTimeoutPrivilegedProperties();

	private final Cookie cookie = new Cookie();

	@NestedConfigurationProperty
	private final SessionTimeoutLoggingProperties logging = new SessionTimeoutLoggingProperties();

	@NestedConfigurationProperty
	private final SessionTimeoutOAuth2Properties oauth2 = new SessionTimeoutOAuth2Properties();

	/**
	 * Policies that give sessions their own clocks by the authentication of their user;
	 * the first that matches, in list order, applies.
	 */
	private List<SessionTimeoutPolicyProperties> policies = new ArrayList<>();

	@NestedConfigurationProperty
	private final SessionTimeoutLimitsProperties limits = new SessionTimeoutLimitsProperties();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Preset getPreset() {
		return this.preset;
	}

	public void setPreset(@Nullable Preset preset) {
		this.preset = preset;
	}

	public @Nullable String getPresetDeviation() {
		return this.presetDeviation;
	}

	public void setPresetDeviation(@Nullable String presetDeviation) {
		this.presetDeviation = presetDeviation;
	}

	public Duration getStoreGrace() {
		return this.storeGrace;
	}

	public void setStoreGrace(Duration storeGrace) {
		this.storeGrace = storeGrace;
	}

	public Duration getResponseCheckInterval() {
		return this.responseCheckInterval;
	}

	public void setResponseCheckInterval(Duration responseCheckInterval) {
		this.responseCheckInterval = responseCheckInterval;
	}

	public boolean isWatchStreamedResponses() {
		return this.watchStreamedResponses;
	}

	public void setWatchStreamedResponses(boolean watchStreamedResponses) {
		this.watchStreamedResponses = watchStreamedResponses;
	}

	public String getExpiredUrl() {
		return this.expiredUrl;
	}

	public void setExpiredUrl(String expiredUrl) {
		this.expiredUrl = expiredUrl;
	}

	public Activity getActivity() {
		return this.activity;
	}

	public SessionTimeoutStatusProperties getStatus() {
		return this.status;
	}

	public Script getScript() {
		return this.script;
	}

	public Sessions getSessions() {
		return this.sessions;
	}

	public SessionTimeoutPrivilegedProperties getPrivileged() {
		return this.privileged;
	}

	public SessionTimeoutLimitsProperties getLimits() {
		return this.limits;
	}

	public Cookie getCookie() {
		return this.cookie;
	}

	public SessionTimeoutLoggingProperties getLogging() {
		return this.logging;
	}

	public SessionTimeoutOAuth2Properties getOauth2() {
		return this.oauth2;
	}

	public List<SessionTimeoutPolicyProperties> getPolicies() {
		return this.policies;
	}

	public void setPolicies(List<SessionTimeoutPolicyProperties> policies) {
		this.policies = policies;
	}

	/**
	 * What counts as activity.
	 */
	public static class Activity {

		/**
		 * Path patterns whose requests are checked but never count as activity, such as
		 * polling or heartbeats. A request header 'Session-Activity: passive' does the
		 * same.
		 */
		private List<String> passivePaths = new ArrayList<>();

		public List<String> getPassivePaths() {
			return this.passivePaths;
		}

		public void setPassivePaths(List<String> passivePaths) {
			this.passivePaths = passivePaths;
		}

	}

	/**
	 * The browser script of the countdown banner.
	 */
	public static class Script {

		/**
		 * Whether to serve the countdown banner's browser script at
		 * /session-timeout/session-timeout.js.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The self-service endpoint where users list and end their own sessions.
	 */
	public static class Sessions {

		/**
		 * Whether to let users list and end their own sessions at the sessions path.
		 */
		private boolean enabled = true;

		/**
		 * Path of the self-service endpoint: GET lists the caller's sessions and is
		 * passive, DELETE of the path ends all but the current one, DELETE of the path
		 * and a session's id ends that one.
		 */
		private String path = "/session/sessions";

		/**
		 * Whether to record the address a user signs in from and list it with the user's
		 * sessions.
		 */
		private boolean recordIp;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public boolean isRecordIp() {
			return this.recordIp;
		}

		public void setRecordIp(boolean recordIp) {
			this.recordIp = recordIp;
		}

	}

	/**
	 * The session cookie.
	 */
	public static class Cookie {

		/**
		 * Whether the session cookie outlives the browser session, with a Max-Age of the
		 * remaining absolute lifetime, rather than ending with the browser session.
		 */
		private boolean persistent;

		public boolean isPersistent() {
			return this.persistent;
		}

		public void setPersistent(boolean persistent) {
			this.persistent = persistent;
		}

	}

}
