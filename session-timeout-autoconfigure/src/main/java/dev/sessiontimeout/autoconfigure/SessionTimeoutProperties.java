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
public class SessionTimeoutProperties {

	/**
	 * Whether to enforce session lifetimes.
	 */
	private boolean enabled = true;

	/**
	 * Maximum lifetime of a session, whatever its activity, counted from its creation.
	 */
	@SessionDuration
	private @Nullable Duration absolute;

	/**
	 * Time without activity after which a session ends. Defaults to Spring Boot's session
	 * timeout.
	 */
	@SessionDuration
	private @Nullable Duration idle;

	/**
	 * Time after the last authentication at which the user must authenticate again; the
	 * session is kept.
	 */
	@SessionDuration
	private @Nullable Duration reauthentication;

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
	 * Where browsers whose session ended are redirected; '{reason}' is replaced by the
	 * reason.
	 */
	private String expiredUrl = "/login?expired={reason}";

	private final Activity activity = new Activity();

	private final Status status = new Status();

	private final Script script = new Script();

	private final Privileged privileged = new Privileged();

	private final Cookie cookie = new Cookie();

	private final Logging logging = new Logging();

	private final OAuth2 oauth2 = new OAuth2();

	/**
	 * Policies that give sessions their own clocks by the authentication of their user;
	 * the first that matches, in list order, applies.
	 */
	private List<Policy> policies = new ArrayList<>();

	private final Limits limits = new Limits();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Duration getAbsolute() {
		return this.absolute;
	}

	public void setAbsolute(@Nullable Duration absolute) {
		this.absolute = absolute;
	}

	public @Nullable Duration getIdle() {
		return this.idle;
	}

	public void setIdle(@Nullable Duration idle) {
		this.idle = idle;
	}

	public @Nullable Duration getReauthentication() {
		return this.reauthentication;
	}

	public void setReauthentication(@Nullable Duration reauthentication) {
		this.reauthentication = reauthentication;
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

	public String getExpiredUrl() {
		return this.expiredUrl;
	}

	public void setExpiredUrl(String expiredUrl) {
		this.expiredUrl = expiredUrl;
	}

	public Activity getActivity() {
		return this.activity;
	}

	public Status getStatus() {
		return this.status;
	}

	public Script getScript() {
		return this.script;
	}

	public Privileged getPrivileged() {
		return this.privileged;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Cookie getCookie() {
		return this.cookie;
	}

	public Logging getLogging() {
		return this.logging;
	}

	public OAuth2 getOauth2() {
		return this.oauth2;
	}

	public List<Policy> getPolicies() {
		return this.policies;
	}

	public void setPolicies(List<Policy> policies) {
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
	 * The session status endpoint.
	 */
	public static class Status {

		/**
		 * Whether to answer the status of the caller's session at the status path.
		 */
		private boolean enabled = true;

		/**
		 * Path of the status endpoint: GET is passive, POST counts as activity.
		 */
		private String path = "/session/status";

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
	 * Privileged operations.
	 */
	public static class Privileged {

		/**
		 * Maximum age of the authentication for privileged operations; 0 always demands a
		 * fresh authentication.
		 */
		@SessionDuration
		private @Nullable Duration maxAge;

		/**
		 * Path patterns whose requests need a privileged session, for example
		 * /account/password/**.
		 */
		private List<String> paths = new ArrayList<>();

		public @Nullable Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(@Nullable Duration maxAge) {
			this.maxAge = maxAge;
		}

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
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

	/**
	 * Spring Security's OAuth 2.0 login ({@code oauth2Login()}).
	 */
	public static class OAuth2 {

		/**
		 * Whether the time of the callback counts as the authentication time of a login
		 * that does not tell when its user authenticated (a plain OAuth 2.0 login, or an
		 * ID token without auth_time). Off by default: the provider may sign the user in
		 * silently from a session of any age, so such a login is never privileged and
		 * never meets a challenge to authenticate again.
		 */
		private boolean callbackTimeAsAuthenticationTime;

		public boolean isCallbackTimeAsAuthenticationTime() {
			return this.callbackTimeAsAuthenticationTime;
		}

		public void setCallbackTimeAsAuthenticationTime(boolean callbackTimeAsAuthenticationTime) {
			this.callbackTimeAsAuthenticationTime = callbackTimeAsAuthenticationTime;
		}

	}

	/**
	 * The starter's log lines.
	 */
	public static class Logging {

		/**
		 * How log lines name the user of a session: the name with control characters
		 * escaped, or a hash of it for logs that must not carry user names.
		 */
		private PrincipalFormat principal = PrincipalFormat.NAME;

		public PrincipalFormat getPrincipal() {
			return this.principal;
		}

		public void setPrincipal(PrincipalFormat principal) {
			this.principal = principal;
		}

		/**
		 * How log lines name the user of a session.
		 */
		public enum PrincipalFormat {

			/**
			 * The principal name, with control characters escaped.
			 */
			NAME,

			/**
			 * The first 16 hexadecimal digits of the SHA-256 hash of the principal name.
			 */
			HASH

		}

	}

	/**
	 * A policy: which authentications it claims and the clocks it gives their sessions.
	 * Unset clocks inherit the global values.
	 */
	public static class Policy {

		/**
		 * Name of the policy, shown by the status and actuator endpoints and carried by
		 * events.
		 */
		private @Nullable String name;

		/**
		 * Authorities of which an authentication must have one for the policy to apply.
		 */
		private List<String> authorities = new ArrayList<>();

		/**
		 * Whether the policy applies only to remember-me authentications (true) or only
		 * to others (false).
		 */
		private @Nullable Boolean rememberMe;

		/**
		 * Maximum lifetime of a session of this policy, counted from its creation.
		 */
		@SessionDuration
		private @Nullable Duration absolute;

		/**
		 * Time without activity after which a session of this policy ends.
		 */
		@SessionDuration
		private @Nullable Duration idle;

		/**
		 * Time after the last authentication at which a user of this policy must
		 * authenticate again.
		 */
		@SessionDuration
		private @Nullable Duration reauthentication;

		/**
		 * Maximum age of the authentication for privileged operations of this policy.
		 */
		@SessionDuration
		private @Nullable Duration privilegedMaxAge;

		/**
		 * Whether the session cookie of this policy outlives the browser session.
		 */
		private @Nullable Boolean cookiePersistent;

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public List<String> getAuthorities() {
			return this.authorities;
		}

		public void setAuthorities(List<String> authorities) {
			this.authorities = authorities;
		}

		public @Nullable Boolean getRememberMe() {
			return this.rememberMe;
		}

		public void setRememberMe(@Nullable Boolean rememberMe) {
			this.rememberMe = rememberMe;
		}

		public @Nullable Duration getAbsolute() {
			return this.absolute;
		}

		public void setAbsolute(@Nullable Duration absolute) {
			this.absolute = absolute;
		}

		public @Nullable Duration getIdle() {
			return this.idle;
		}

		public void setIdle(@Nullable Duration idle) {
			this.idle = idle;
		}

		public @Nullable Duration getReauthentication() {
			return this.reauthentication;
		}

		public void setReauthentication(@Nullable Duration reauthentication) {
			this.reauthentication = reauthentication;
		}

		public @Nullable Duration getPrivilegedMaxAge() {
			return this.privilegedMaxAge;
		}

		public void setPrivilegedMaxAge(@Nullable Duration privilegedMaxAge) {
			this.privilegedMaxAge = privilegedMaxAge;
		}

		public @Nullable Boolean getCookiePersistent() {
			return this.cookiePersistent;
		}

		public void setCookiePersistent(@Nullable Boolean cookiePersistent) {
			this.cookiePersistent = cookiePersistent;
		}

	}

	/**
	 * Ceilings that no global, policy or per-session value may exceed.
	 */
	public static class Limits {

		/**
		 * Longest absolute lifetime any session may have.
		 */
		@SessionDuration
		private @Nullable Duration absolute;

		/**
		 * Longest idle timeout any session may have.
		 */
		@SessionDuration
		private @Nullable Duration idle;

		/**
		 * Longest re-authentication lifetime any session may have.
		 */
		@SessionDuration
		private @Nullable Duration reauthentication;

		public @Nullable Duration getAbsolute() {
			return this.absolute;
		}

		public void setAbsolute(@Nullable Duration absolute) {
			this.absolute = absolute;
		}

		public @Nullable Duration getIdle() {
			return this.idle;
		}

		public void setIdle(@Nullable Duration idle) {
			this.idle = idle;
		}

		public @Nullable Duration getReauthentication() {
			return this.reauthentication;
		}

		public void setReauthentication(@Nullable Duration reauthentication) {
			this.reauthentication = reauthentication;
		}

	}

}
