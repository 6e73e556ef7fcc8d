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

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Path patterns, matched against the path of a request within its context.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class PathPatterns {

	private final List<PathPattern> patterns;

	private PathPatterns(List<PathPattern> patterns) {
		this.patterns = List.copyOf(patterns);
	}

	/**
	 * No patterns: nothing matches.
	 */
	public static final PathPatterns NONE = new PathPatterns(List.of());

	/**
	 * Parse path patterns.
	 * @param patterns path patterns in {@link PathPattern} syntax, for example
	 * {@code /api/notifications/**}
	 * @return the parsed patterns
	 * @throws InvalidPathPatternsException naming every pattern that cannot be parsed, by
	 * its index
	 */
	public static PathPatterns parse(List<String> patterns) {
		List<PathPattern> parsed = new ArrayList<>();
		List<InvalidPathPatternsException.InvalidPattern> invalid = new ArrayList<>();
		for (int i = 0; i < patterns.size(); i++) {
			try {
				parsed.add(PathPatternParser.defaultInstance.parse(patterns.get(i)));
			}
			catch (PatternParseException ex) {
				invalid.add(new InvalidPathPatternsException.InvalidPattern(i, patterns.get(i), ex.getMessage()));
			}
		}
		if (!invalid.isEmpty()) {
			throw new InvalidPathPatternsException(invalid);
		}
		return new PathPatterns(parsed);
	}

	/**
	 * Return whether there are no patterns.
	 * @return {@code true} if nothing matches
	 */
	public boolean isEmpty() {
		return this.patterns.isEmpty();
	}

	/**
	 * Return whether the path of a request matches one of the patterns.
	 * @param request the request
	 * @return {@code true} on a match
	 */
	public boolean matches(HttpServletRequest request) {
		if (this.patterns.isEmpty()) {
			return false;
		}
		PathContainer path = PathContainer.parsePath(pathWithinContext(request));
		return this.patterns.stream().anyMatch((pattern) -> pattern.matches(path));
	}

	/**
	 * Return whether a path within the application matches one of the patterns.
	 * @param path the path, such as a reactive request's path within the application
	 * @return {@code true} on a match
	 */
	public boolean matches(PathContainer path) {
		return !this.patterns.isEmpty() && this.patterns.stream().anyMatch((pattern) -> pattern.matches(path));
	}

	/**
	 * Return the path of a request within its context: for an included request, the path
	 * of the included resource.
	 * @param request the request
	 * @return the path
	 */
	public static String pathWithinContext(HttpServletRequest request) {
		if (request.getDispatcherType() == DispatcherType.INCLUDE
				&& request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) instanceof String includedUri) {
			Object includedContext = request.getAttribute(RequestDispatcher.INCLUDE_CONTEXT_PATH);
			String contextPath = (includedContext instanceof String path) ? path : request.getContextPath();
			return includedUri.substring(Math.min(contextPath.length(), includedUri.length()));
		}
		return request.getRequestURI().substring(request.getContextPath().length());
	}

	/**
	 * Return whether the path of a request within its context, as
	 * {@link #pathWithinContext(HttpServletRequest)} gives it, is the given path; the
	 * request's path is not copied.
	 * @param request the request
	 * @param path the path, {@code null} for none
	 * @return {@code true} if it is
	 */
	public static boolean isPathWithinContext(HttpServletRequest request, @Nullable String path) {
		if (path == null) {
			return false;
		}
		if (request.getDispatcherType() == DispatcherType.INCLUDE) {
			return path.equals(pathWithinContext(request));
		}
		String uri = request.getRequestURI();
		int contextPathLength = request.getContextPath().length();
		return uri.length() - contextPathLength == path.length() && uri.startsWith(path, contextPathLength);
	}

	/**
	 * Return whether the path of a request within its context, as
	 * {@link #isPathWithinContext(HttpServletRequest, String)} tells, is one of the given
	 * paths, asking the request once for all of them.
	 * @param request the request
	 * @param paths the paths
	 * @return {@code true} if it is one of them
	 */
	public static boolean isAnyPathWithinContext(HttpServletRequest request, List<String> paths) {
		if (request.getDispatcherType() == DispatcherType.INCLUDE) {
			String path = pathWithinContext(request);
			return paths.contains(path);
		}
		String uri = request.getRequestURI();
		int contextPathLength = request.getContextPath().length();
		for (String path : paths) {
			if (uri.length() - contextPathLength == path.length() && uri.startsWith(path, contextPathLength)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the path of a URL that the application serves itself.
	 * @param url the URL, for example {@code /login?expired={reason}}
	 * @return its path without query and fragment, or {@code null} if the URL is not a
	 * path within the application
	 */
	public static @Nullable String pathOf(String url) {
		if (!url.startsWith("/")) {
			return null;
		}
		int end = url.length();
		for (char delimiter : new char[] { '?', '#' }) {
			int index = url.indexOf(delimiter);
			end = (index >= 0) ? Math.min(end, index) : end;
		}
		return url.substring(0, end);
	}

}
