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
package dev.sessiontimeout.internal.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Sums up a {@code User-Agent} header as a short text a user recognizes in a list of
 * sessions, such as "Firefox on Linux". A session stores the summary as a
 * {@link #code(String) code} of a few characters (the stored bytes of a session are kept
 * small), made of the positions of one of a few fixed names of browsers and systems,
 * never of a part of the header itself, so that nothing a client made up is stored or
 * shown.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class DeviceSummary {

	/**
	 * The summary of a request without a {@code User-Agent} header or with one that names
	 * nothing known.
	 */
	public static final String UNKNOWN = "Unknown device";

	// Stored codes are positions in these lists (1 for the first): add at the end only
	private static final List<String> BROWSERS = List.of("Edge", "Opera", "Samsung Internet", "Firefox", "Chrome",
			"Chromium", "Safari", "curl", "Wget", "OkHttp", "Java", "Python", "HTTPie", "Postman");

	private static final List<String> SYSTEMS = List.of("iOS", "iPadOS", "Android", "ChromeOS", "Windows", "macOS",
			"Linux", "FreeBSD");

	// In order: the first marker the header holds names the browser
	private static final List<Map.Entry<String, String>> BROWSER_MARKERS = List.of(Map.entry("edg/", "Edge"),
			Map.entry("edga/", "Edge"), Map.entry("edgios/", "Edge"), Map.entry("opr/", "Opera"),
			Map.entry("samsungbrowser/", "Samsung Internet"), Map.entry("firefox/", "Firefox"),
			Map.entry("fxios/", "Firefox"), Map.entry("crios/", "Chrome"), Map.entry("chromium/", "Chromium"),
			Map.entry("chrome/", "Chrome"), Map.entry("safari/", "Safari"), Map.entry("curl/", "curl"),
			Map.entry("wget/", "Wget"), Map.entry("okhttp/", "OkHttp"), Map.entry("java-http-client/", "Java"),
			Map.entry("java/", "Java"), Map.entry("python-requests/", "Python"), Map.entry("httpie/", "HTTPie"),
			Map.entry("postmanruntime/", "Postman"));

	private static final List<Map.Entry<String, String>> SYSTEM_MARKERS = List.of(Map.entry("iphone", "iOS"),
			Map.entry("ipad", "iPadOS"), Map.entry("ipod", "iOS"), Map.entry("android", "Android"),
			Map.entry("; cros ", "ChromeOS"), Map.entry("windows", "Windows"), Map.entry("mac os x", "macOS"),
			Map.entry("macintosh", "macOS"), Map.entry("linux", "Linux"), Map.entry("freebsd", "FreeBSD"));

	private DeviceSummary() {
	}

	/**
	 * Return the code of a {@code User-Agent} header's summary, as a session stores it.
	 * @param userAgent the header, {@code null} if the request has none
	 * @return the code: the positions of the browser and of the system, {@code 0} for
	 * unknown, such as {@code 4.7}
	 */
	public static String code(@Nullable String userAgent) {
		if (userAgent == null) {
			return "0.0";
		}
		String header = userAgent.toLowerCase(Locale.ROOT);
		return position(header, BROWSER_MARKERS, BROWSERS) + "." + position(header, SYSTEM_MARKERS, SYSTEMS);
	}

	/**
	 * Return the summary that a code stands for.
	 * @param code the code, as a session stores it, {@code null} if it stores none
	 * @return the browser and the system, such as "Firefox on Linux", either alone if the
	 * other is unknown, or {@link #UNKNOWN}, for a code that names nothing too
	 */
	public static String describe(@Nullable String code) {
		int dot = (code != null) ? code.indexOf('.') : -1;
		if (code == null || dot < 0) {
			return UNKNOWN;
		}
		String browser = name(code.substring(0, dot), BROWSERS);
		String system = name(code.substring(dot + 1), SYSTEMS);
		if (browser == null) {
			return (system != null) ? system : UNKNOWN;
		}
		return (system != null) ? browser + " on " + system : browser;
	}

	/**
	 * Sum up a {@code User-Agent} header.
	 * @param userAgent the header, {@code null} if the request has none
	 * @return the summary
	 * @see #describe(String)
	 */
	public static String of(@Nullable String userAgent) {
		return describe(code(userAgent));
	}

	private static int position(String header, List<Map.Entry<String, String>> markers, List<String> names) {
		for (Map.Entry<String, String> marker : markers) {
			if (header.contains(marker.getKey())) {
				return names.indexOf(marker.getValue()) + 1;
			}
		}
		return 0;
	}

	private static @Nullable String name(String position, List<String> names) {
		try {
			int index = Integer.parseInt(position) - 1;
			return (index >= 0 && index < names.size()) ? names.get(index) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
