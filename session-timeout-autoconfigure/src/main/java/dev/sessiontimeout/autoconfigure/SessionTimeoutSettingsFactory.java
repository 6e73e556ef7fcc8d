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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

import dev.sessiontimeout.internal.policy.ConfiguredPolicy;
import dev.sessiontimeout.internal.policy.InvalidSessionTimeoutSettingsException;
import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettingsBuilder;
import dev.sessiontimeout.internal.session.PrincipalLogFormat;
import dev.sessiontimeout.internal.web.InvalidPathPatternsException;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.web.SessionTimeoutResponder;

/**
 * Turns {@link SessionTimeoutProperties} into {@link SessionTimeoutSettings}, the same
 * way for every kind of web application.
 *
 * @author session-timeout
 */
final class SessionTimeoutSettingsFactory {

	private static final Pattern ACR_VALUE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

	private SessionTimeoutSettingsFactory() {
	}

	/**
	 * Resolve the settings that the properties configure.
	 * @param properties the properties
	 * @param platformIdle the session timeout of the platform, the default idle timeout;
	 * {@code null} for {@link SessionTimeoutSettings#DEFAULT_IDLE}
	 * @return the settings
	 * @throws InvalidSessionTimeoutException if any value breaks a rule, naming each
	 * property
	 */
	static SessionTimeoutSettings create(SessionTimeoutProperties properties, @Nullable Duration platformIdle) {
		SessionTimeoutLimitsProperties limits = properties.getLimits();
		SessionTimeoutSettingsBuilder builder = SessionTimeoutSettings.builder()
			.absolute(properties.getAbsolute())
			.idle(properties.getIdle())
			.reauthentication(properties.getReauthentication())
			.privilegedMaxAge(properties.getPrivileged().getMaxAge())
			.cookiePersistent(properties.getCookie().isPersistent())
			.platformIdle(platformIdle)
			.preset(properties.getPreset())
			.presetDeviation(properties.getPresetDeviation())
			.limits(new Limits(limits.getAbsolute(), limits.getIdle(), limits.getReauthentication()))
			.storeGrace(properties.getStoreGrace())
			.responseCheckInterval(properties.getResponseCheckInterval());
		List<SessionTimeoutPolicyProperties> policies = properties.getPolicies();
		for (int i = 0; i < policies.size(); i++) {
			SessionTimeoutPolicyProperties policy = policies.get(i);
			builder.policy(new ConfiguredPolicy(i, policy.getName(), policy.getAuthorities(), policy.getRememberMe(),
					policy.getAbsolute(), policy.getIdle(), policy.getReauthentication(), policy.getPrivilegedMaxAge(),
					policy.getCookiePersistent()));
		}
		return build(builder);
	}

	/**
	 * Build settings, naming the property of each value that breaks a rule.
	 * @param builder the builder that holds the configured values
	 * @return the settings
	 * @throws InvalidSessionTimeoutException if any value breaks a rule, naming each
	 * property
	 */
	static SessionTimeoutSettings build(SessionTimeoutSettingsBuilder builder) {
		try {
			return builder.build();
		}
		catch (InvalidSessionTimeoutSettingsException ex) {
			throw new InvalidSessionTimeoutException(SessionTimeoutMessages.violations(ex.getViolations()), ex);
		}
	}

	/**
	 * Parse the path patterns of a list property.
	 * @param property the name of the property
	 * @param patterns the patterns
	 * @return the parsed patterns
	 * @throws InvalidSessionTimeoutException naming each pattern that cannot be parsed by
	 * its indexed property
	 */
	static PathPatterns pathPatterns(String property, List<String> patterns) {
		// A pattern without a leading slash parses, but matches no request: privileged
		// paths would be served without a step-up, passive ones would count as activity
		List<Violation> violations = new ArrayList<>();
		for (int i = 0; i < patterns.size(); i++) {
			String pattern = patterns.get(i);
			if (pattern.isBlank()) {
				violations.add(new Violation(property + "[" + i + "]", pattern, "a path pattern must not be blank",
						"use a pattern such as /api/poll or /account/**, or remove the entry"));
			}
			else if (!pattern.startsWith("/")) {
				violations.add(new Violation(property + "[" + i + "]", pattern,
						"a path pattern must start with /, else it matches no request",
						"use " + withLeadingSlash(pattern)
								+ " (paths are matched within the application's context path)"));
			}
			else if (isSpace(pattern.codePointBefore(pattern.length())) || holdsCommentAfterValue(pattern)) {
				// Refused, not stripped: the rest of a line is not a comment in the
				// properties format, and a space an editor hides is kept. A space within
				// a segment is no mistake: patterns match the decoded path
				violations.add(new Violation(property + "[" + i + "]", pattern,
						"a path pattern must not begin or end with whitespace, nor hold a comment, else it matches"
								+ " no request",
						"remove the trailing space, or the comment after the value (the properties format has"
								+ " none)"));
			}
		}
		try {
			PathPatterns parsed = PathPatterns.parse(patterns);
			if (!violations.isEmpty()) {
				throw new InvalidSessionTimeoutException(violations);
			}
			return parsed;
		}
		catch (InvalidPathPatternsException ex) {
			ex.getInvalidPatterns()
				.stream()
				.map((invalid) -> new Violation(property + "[" + invalid.index() + "]", invalid.pattern(),
						"not a path pattern: " + invalid.reason(), "use a pattern such as /api/poll or /account/**"))
				.forEach(violations::add);
			throw new InvalidSessionTimeoutException(violations, ex);
		}
	}

	/**
	 * Check the URL browsers go to when their session ended or their user must sign in
	 * again: a path of the application, whose page (the expired page) is recognised by
	 * that path and never refused, or an absolute {@code http(s)} URL elsewhere.
	 * @param url the configured URL
	 * @return the URL
	 * @throws InvalidSessionTimeoutException if the URL is neither, or if the
	 * {@code {reason}} placeholder is in its path, where the expired page would not be
	 * recognised
	 */
	static String expiredUrl(String url) {
		String fix = "use /login?expired={reason}, or an absolute https:// URL";
		String value = url.strip();
		if (!value.isEmpty() && containsWhitespace(url)) {
			// Refused, not stripped, as path patterns are: a browser strips the
			// redirect's trailing space, and the page would not be recognised by its path
			throw new InvalidSessionTimeoutException(List.of(new Violation(SessionTimeoutPropertyNames.EXPIRED_URL, url,
					"the expired URL must not hold whitespace, else its page is not recognised",
					"remove the whitespace (a trailing space, or a comment after the value, which the properties"
							+ " format does not have)")));
		}
		if (value.startsWith("/") && !value.startsWith("//")) {
			String path = PathPatterns.pathOf(value);
			if (path != null && path.contains(SessionTimeoutResponder.REASON_PLACEHOLDER)) {
				String query = path.replace("/" + SessionTimeoutResponder.REASON_PLACEHOLDER, "");
				throw new InvalidSessionTimeoutException(List.of(new Violation(SessionTimeoutPropertyNames.EXPIRED_URL,
						url,
						"{reason} may only be in the query or the fragment: the expired page is recognised by its path"
								+ ", never refused",
						"use " + (query.isEmpty() ? "/" : query) + "?reason={reason}")));
			}
			return url;
		}
		String lower = value.toLowerCase(Locale.ROOT);
		if ((lower.startsWith("https://") || lower.startsWith("http://")) && value.length() > lower.indexOf("//") + 2) {
			return url;
		}
		throw new InvalidSessionTimeoutException(List.of(new Violation(SessionTimeoutPropertyNames.EXPIRED_URL, url,
				"the expired URL must be a path of the application, starting with /, or an http(s) URL", fix)));
	}

	/**
	 * Return the paths of the starter's endpoints that record the activity of their
	 * requests other than {@code GET} and {@code HEAD} themselves, once the application's
	 * security accepted them: the status endpoint's, where enabled (its path is checked
	 * by {@link #passiveEndpointPaths}).
	 * @param properties the properties
	 * @return the paths
	 */
	static List<String> activityAtEndpointPaths(SessionTimeoutProperties properties) {
		return properties.getStatus().isEnabled() ? List.of(properties.getStatus().getPath()) : List.of();
	}

	/**
	 * Return the paths of the endpoints whose {@code GET} is passive: the status
	 * endpoint's and the self-service endpoint's, where enabled.
	 * @param properties the properties
	 * @return the paths
	 * @throws InvalidSessionTimeoutException if a path is blank, does not start with
	 * {@code /}, or both endpoints have the same path
	 */
	static List<String> passiveEndpointPaths(SessionTimeoutProperties properties) {
		List<Violation> violations = new ArrayList<>();
		List<String> paths = new ArrayList<>();
		String status = properties.getStatus().isEnabled() ? properties.getStatus().getPath() : null;
		String sessions = properties.getSessions().isEnabled() ? properties.getSessions().getPath() : null;
		if (status != null) {
			endpointPath(violations, SessionTimeoutPropertyNames.STATUS_PATH, status, "/session/status");
			paths.add(status);
		}
		if (sessions != null) {
			endpointPath(violations, SessionTimeoutPropertyNames.SESSIONS_PATH, sessions, "/session/sessions");
			if (sessions.equals(status)) {
				violations.add(new Violation(SessionTimeoutPropertyNames.SESSIONS_PATH, sessions,
						"the self-service endpoint must not have the path of the status endpoint, "
								+ SessionTimeoutPropertyNames.STATUS_PATH + "=" + status,
						"use another path, such as /session/sessions"));
			}
			paths.add(sessions);
		}
		if (!violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(violations);
		}
		return paths;
	}

	private static void endpointPath(List<Violation> violations, String property, String path, String example) {
		if (path.isBlank()) {
			violations.add(new Violation(property, path, "the path of an endpoint must not be blank",
					"use a path such as " + example));
		}
		else if (!path.startsWith("/")) {
			// Spring MVC serves it with a leading slash, where its passive GET would not
			// be recognised: polling it would keep every session alive
			violations.add(new Violation(property, path, "the path of an endpoint must start with /",
					"use " + withLeadingSlash(path)));
		}
		else if (containsWhitespace(path)) {
			violations.add(new Violation(property, path,
					"the path of an endpoint must not hold whitespace, else no request reaches it",
					"remove the whitespace, such as a trailing space or a comment after the value"));
		}
	}

	private static boolean holdsCommentAfterValue(String pattern) {
		for (int i = pattern.indexOf('#'); i > 0; i = pattern.indexOf('#', i + 1)) {
			if (isSpace(pattern.codePointBefore(i))) {
				return true;
			}
		}
		return false;
	}

	private static boolean containsWhitespace(String text) {
		return text.codePoints().anyMatch(SessionTimeoutSettingsFactory::isSpace);
	}

	/**
	 * The value a path that does not start with {@code /} should have: without the
	 * whitespace around it (a leading space is the mistake, not a missing slash), with a
	 * leading slash.
	 */
	private static String withLeadingSlash(String path) {
		int start = 0;
		int end = path.length();
		while (start < end && isSpace(path.codePointAt(start))) {
			start += Character.charCount(path.codePointAt(start));
		}
		while (end > start && isSpace(path.codePointBefore(end))) {
			end -= Character.charCount(path.codePointBefore(end));
		}
		String trimmed = path.substring(start, end);
		return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
	}

	private static boolean isSpace(int c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c);
	}

	/**
	 * Check the authentication context classes of a list property: each goes into the
	 * quoted {@code acr_values} of an RFC 9470 challenge, separated by spaces.
	 * @param property the name of the property
	 * @param values the values
	 * @return the values, stripped
	 * @throws InvalidSessionTimeoutException naming each value that cannot be written so
	 * by its indexed property
	 */
	static List<String> acrValues(String property, List<String> values) {
		List<Violation> violations = new ArrayList<>();
		for (int i = 0; i < values.size(); i++) {
			String value = values.get(i).strip();
			if (!ACR_VALUE.matcher(value).matches()) {
				violations.add(new Violation(property + "[" + i + "]", values.get(i),
						value.isEmpty() ? "an authentication context class must not be blank"
								: "not an authentication context class: spaces, quotes, backslashes and"
										+ " characters outside printable ASCII cannot be sent in a challenge",
						"use a value such as urn:example:mfa or phr, or remove the entry"));
			}
		}
		if (!violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(violations);
		}
		return values.stream().map(String::strip).toList();
	}

	/**
	 * Return the session timeout that a server property sets, read as Spring Boot reads
	 * it (a bare number is seconds).
	 * @param environment the environment
	 * @param property the property, for example {@code server.servlet.session.timeout}
	 * @return the timeout, or {@code null} if the property is not set
	 * @throws InvalidSessionTimeoutException if the value is not a duration, naming the
	 * property (a war deployment creates the starter's beans before Spring Boot binds its
	 * own server properties)
	 */
	static @Nullable Duration serverSessionTimeout(Environment environment, String property) {
		return Binder.get(environment).bind(property, String.class).map((value) -> {
			try {
				return DurationStyle.detectAndParse(value, ChronoUnit.SECONDS);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidSessionTimeoutException(List.of(new Violation(property, value,
						"not a duration, which " + SessionTimeoutPropertyNames.IDLE + " inherits",
						"use a duration such as 30m or PT30M (a bare number is seconds), or -1 for sessions"
								+ " without an idle timeout")));
			}
		}).orElse(null);
	}

	/**
	 * Check that a server property leaves the session cookie's lifetime to the starter,
	 * read as Spring Boot reads it (a bare number is seconds, a negative value sets no
	 * {@code Max-Age}). Spring Boot gives its {@code Max-Age} to the container's session
	 * cookie, to Spring Session's cookie serializer and to WebFlux's session id resolver
	 * alike, which would keep a session cookie past the browser session.
	 * @param environment the environment
	 * @param property the property, for example
	 * {@code server.servlet.session.cookie.max-age}
	 * @throws InvalidSessionTimeoutException if the property is set to anything but a
	 * negative duration, naming it
	 */
	static void serverSessionCookieMaxAge(Environment environment, String property) {
		Binder.get(environment).bind(property, String.class).ifBound((value) -> {
			if (!value.isBlank() && !isNegativeDuration(value)) {
				throw new InvalidSessionTimeoutException(List.of(new Violation(property, value,
						"session-timeout decides the session cookie's lifetime, a browser-session cookie unless "
								+ SessionTimeoutPropertyNames.COOKIE_PERSISTENT
								+ "=true; only a negative value, which sets no Max-Age, is allowed",
						"remove it, and set " + SessionTimeoutPropertyNames.COOKIE_PERSISTENT
								+ "=true for a cookie that lasts the session's remaining absolute lifetime")));
			}
		});
	}

	private static boolean isNegativeDuration(String value) {
		try {
			return DurationStyle.detectAndParse(value, ChronoUnit.SECONDS).isNegative();
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Return the session timeout of a store that ends a session whose timeout is 0 at
	 * once (Spring Session's repositories, WebFlux's own store; only a negative one never
	 * ends), as the default idle timeout.
	 * @param properties the properties
	 * @param environment the environment
	 * @param timeout the store's timeout, {@code null} if none is set
	 * @param store what keeps the sessions, for the report
	 * @param names the properties that set the timeout, the one that takes precedence
	 * first
	 * @return the timeout
	 * @throws InvalidSessionTimeoutException if the timeout is 0 and the idle clock
	 * inherits it, naming the property that set it
	 */
	static @Nullable Duration storeSessionTimeout(SessionTimeoutProperties properties, Environment environment,
			@Nullable Duration timeout, String store, String... names) {
		if (timeout == null || !timeout.isZero() || properties.getIdle() != null || properties.getPreset() != null) {
			return timeout;
		}
		String name = Arrays.stream(names).filter(environment::containsProperty).findFirst().orElse(names[0]);
		throw new InvalidSessionTimeoutException(List.of(new Violation(name, environment.getProperty(name, "0"),
				store + " ends a session whose timeout is 0 at once (only a negative one never ends), and "
						+ SessionTimeoutPropertyNames.IDLE + " inherits it, where 0 is not allowed",
				"use a positive duration such as 30m, or -1 for sessions without an idle timeout; or set "
						+ SessionTimeoutPropertyNames.IDLE)));
	}

	/**
	 * Return how log lines name the user of a session.
	 * @param properties the properties
	 * @return the format that {@code session-timeout.logging.principal} sets
	 */
	static PrincipalLogFormat principalLogFormat(SessionTimeoutProperties properties) {
		return switch (properties.getLogging().getPrincipal()) {
			case NAME -> PrincipalLogFormat.NAME;
			case HASH -> PrincipalLogFormat.HASH;
		};
	}

}
