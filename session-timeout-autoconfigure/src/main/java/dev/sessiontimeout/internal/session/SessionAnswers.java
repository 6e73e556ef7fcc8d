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
package dev.sessiontimeout.internal.session;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.StringUtils;

import dev.sessiontimeout.ExpiryReason;

/**
 * What every web stack answers a request whose session ended or whose user must
 * authenticate again, in words that know no web stack: whether the request is a browser
 * navigation (redirected) or not (a {@code 401} RFC 9457 problem with a {@code reason}
 * member and, for a challenge, an RFC 9470 {@code WWW-Authenticate} header), and where a
 * browser goes.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionAnswers {

	/**
	 * The placeholder in the expired URL that is replaced by the reason.
	 */
	public static final String REASON_PLACEHOLDER = "{reason}";

	/**
	 * The headers that forbid caching an answer, as Spring Security writes them by
	 * default, so that an answer is the same with or without its cache-control header
	 * writer, which leaves a response alone that has a {@code Cache-Control} already.
	 */
	public static final Map<String, String> NO_STORE_HEADERS = noStoreHeaders();

	private static final Set<String> PAGE_RESOURCES = Set.of("audio", "audioworklet", "font", "image", "json",
			"manifest", "paintworklet", "report", "script", "serviceworker", "sharedworker", "style", "track", "video",
			"worker", "xslt");

	private SessionAnswers() {
	}

	private static Map<String, String> noStoreHeaders() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate");
		headers.put(HttpHeaders.PRAGMA, "no-cache");
		headers.put(HttpHeaders.EXPIRES, "0");
		return Collections.unmodifiableMap(headers);
	}

	/**
	 * Return whether a request is a browser navigation, rather than an API call or a
	 * script's request: {@code Sec-Fetch-Mode: navigate} where browsers send it, else an
	 * {@code Accept} header that names {@code text/html}.
	 * @param fetchMode the {@code Sec-Fetch-Mode} header
	 * @param requestedWith the {@code X-Requested-With} header
	 * @param accept the {@code Accept} header
	 * @return {@code true} for a browser navigation
	 */
	public static boolean isBrowserNavigation(@Nullable String fetchMode, @Nullable String requestedWith,
			@Nullable String accept) {
		if (fetchMode != null) {
			return "navigate".equalsIgnoreCase(fetchMode);
		}
		if ("XMLHttpRequest".equalsIgnoreCase(requestedWith)) {
			return false;
		}
		if (!StringUtils.hasText(accept)) {
			return false;
		}
		try {
			List<MediaType> accepted = MediaType.parseMediaTypes(accept);
			return accepted.stream().anyMatch((type) -> !type.isWildcardType() && type.includes(MediaType.TEXT_HTML));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	/**
	 * Return whether a request is a browser's load of something a page uses (an image, a
	 * style sheet, a script, a font, the page's icon), rather than a navigation or a
	 * script's own request: a {@code Sec-Fetch-Dest} of the Fetch Metadata specification
	 * that names such a resource, so neither {@code empty} (a script's {@code fetch} or
	 * {@code XMLHttpRequest}), {@code websocket}, the navigations' {@code document},
	 * {@code frame}, {@code iframe}, {@code object} and {@code embed}, nor a value the
	 * specification does not know. Without the header (a client that is not a browser, or
	 * a browser that does not send it) it is not.
	 * @param fetchDest the {@code Sec-Fetch-Dest} header
	 * @return {@code true} for a load of something a page uses
	 */
	public static boolean isPageResource(@Nullable String fetchDest) {
		return fetchDest != null && PAGE_RESOURCES.contains(fetchDest.toLowerCase(Locale.ROOT));
	}

	/**
	 * Return where a browser whose session ended goes.
	 * @param expiredUrl the expired URL, with an optional placeholder
	 * @param reason why the session ended
	 * @return the URL, relative to the application's context path if it starts with
	 * {@code /}
	 */
	public static String expiredLocation(String expiredUrl, ExpiryReason reason) {
		return expiredUrl.replace(REASON_PLACEHOLDER, reason.value());
	}

	/**
	 * Return the RFC 9457 problem of a request whose session ended or whose user must
	 * authenticate again.
	 * @param requestUri the path of the request
	 * @param reason why
	 * @return the JSON body
	 */
	public static String problem(String requestUri, ExpiryReason reason) {
		return "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail(reason)
				+ "\",\"instance\":\"" + escape(requestUri) + "\",\"reason\":\"" + reason.value() + "\"}";
	}

	/**
	 * Return the RFC 9457 problem of a request whose session store does not answer.
	 * @param requestUri the path of the request
	 * @return the JSON body
	 */
	public static String unavailableProblem(String requestUri) {
		return "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
				+ "\"detail\":\"The session store does not answer; try again later.\",\"instance\":\""
				+ escape(requestUri) + "\"}";
	}

	/**
	 * Return an RFC 9470 step-up challenge that names the authentication context classes
	 * the new authentication must have.
	 * @param reason why a more recent authentication is needed
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes, empty for any; each checked at
	 * startup to need no escaping
	 * @return the value of the {@code WWW-Authenticate} header
	 */
	public static String wwwAuthenticate(ExpiryReason reason, Duration maxAge, List<String> acrValues) {
		return "Bearer error=\"insufficient_user_authentication\", error_description=\"" + detail(reason) + "\""
				+ (acrValues.isEmpty() ? "" : ", acr_values=\"" + String.join(" ", acrValues) + "\"") + ", max_age="
				+ maxAge.toSeconds();
	}

	private static String detail(ExpiryReason reason) {
		return switch (reason) {
			case ABSOLUTE -> "The session reached its maximum lifetime.";
			case IDLE -> "The session ended after a period of inactivity.";
			case REAUTHENTICATION -> "The authentication is too old; authenticate again to continue.";
			case PRIVILEGED -> "This operation requires a more recent authentication.";
			case REVOKED -> "The session was revoked.";
			case INVALID -> "The session is unknown or has ended.";
		};
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> escaped.append("\\\"");
				case '\\' -> escaped.append("\\\\");
				default -> {
					if (c < 0x20) {
						escaped.append(String.format("\\u%04x", (int) c));
					}
					else {
						escaped.append(c);
					}
				}
			}
		}
		return escaped.toString();
	}

}
