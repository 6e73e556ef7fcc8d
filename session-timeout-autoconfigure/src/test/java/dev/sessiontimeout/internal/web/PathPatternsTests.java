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

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PathPatterns}.
 *
 * @author session-timeout
 */
class PathPatternsTests {

	private static PathPatterns parse(String... patterns) {
		return PathPatterns.parse(List.of(patterns));
	}

	private static MockHttpServletRequest request(String contextPath, String requestUri) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", requestUri);
		request.setContextPath(contextPath);
		return request;
	}

	private static MockHttpServletRequest request(String requestUri) {
		return request("", requestUri);
	}

	@Test
	void matchesWhenPathEqualsPatternThenTrue() {
		PathPatterns patterns = parse("/api/poll");
		assertThat(patterns.matches(request("/api/poll"))).isTrue();
		assertThat(patterns.matches(request("/api/polls"))).isFalse();
		assertThat(patterns.matches(request("/api"))).isFalse();
	}

	@Test
	void matchesWhenOneOfSeveralPatternsMatchesThenTrue() {
		PathPatterns patterns = parse("/api/poll", "/account/**");
		assertThat(patterns.matches(request("/account/password"))).isTrue();
		assertThat(patterns.matches(request("/api/poll"))).isTrue();
		assertThat(patterns.matches(request("/home"))).isFalse();
	}

	@Test
	void matchesWhenNoPatternsThenFalseAndEmpty() {
		PathPatterns patterns = parse();
		assertThat(patterns.isEmpty()).isTrue();
		assertThat(patterns.matches(request("/"))).isFalse();
		assertThat(parse("/api/poll").isEmpty()).isFalse();
	}

	@Test
	void matchesWhenContextPathThenMatchesThePathWithinTheContext() {
		PathPatterns patterns = parse("/api/poll");
		assertThat(patterns.matches(request("/app", "/app/api/poll"))).isTrue();
		assertThat(patterns.matches(request("/app", "/app/app/api/poll"))).isFalse();
		assertThat(patterns.matches(request("/app", "/app/other/api/poll"))).isFalse();
	}

	@Test
	void matchesWhenContextPathIsPartOfThePatternThenNoMatch() {
		assertThat(parse("/app/api/poll").matches(request("/app", "/app/api/poll"))).isFalse();
	}

	@Test
	void pathWithinContextWhenContextPathThenStripsIt() {
		assertThat(PathPatterns.pathWithinContext(request("/app", "/app/account/password")))
			.isEqualTo("/account/password");
		assertThat(PathPatterns.pathWithinContext(request("", "/account/password"))).isEqualTo("/account/password");
	}

	@Test
	void isPathWithinContextWhenThePathWithinTheContextThenTrueAndOtherwiseFalse() {
		MockHttpServletRequest request = request("/app", "/app/login");
		assertThat(PathPatterns.isPathWithinContext(request, "/login")).isTrue();
		assertThat(PathPatterns.isPathWithinContext(request, "/logi")).isFalse();
		assertThat(PathPatterns.isPathWithinContext(request, "/login/")).isFalse();
		assertThat(PathPatterns.isPathWithinContext(request, "/app/login")).isFalse();
		assertThat(PathPatterns.isPathWithinContext(request, "/lOgin")).isFalse();
		assertThat(PathPatterns.isPathWithinContext(request, null)).isFalse();
		assertThat(PathPatterns.isPathWithinContext(request("/app", "/app"), "")).isTrue();
		assertThat(PathPatterns.isPathWithinContext(request("/login"), "/login")).isTrue();
	}

	@Test
	void isPathWithinContextWhenAnyPathThenWhatComparingThePathWithinContextTells() {
		List<String> paths = List.of("", "/", "/login", "/login/", "/logi", "/login?x", "/Login", "/app/login",
				"/a%20b", "/a b", "/login;jsessionid=1");
		for (String contextPath : List.of("", "/app")) {
			for (String requestPath : paths) {
				MockHttpServletRequest request = request(contextPath, contextPath + requestPath);
				for (String path : paths) {
					assertThat(PathPatterns.isPathWithinContext(request, path))
						.as("%s%s against %s", contextPath, requestPath, path)
						.isEqualTo(PathPatterns.pathWithinContext(request).equals(path));
				}
			}
		}
	}

	@Test
	void isAnyPathWithinContextThenWhetherAnyOfThePathsIsPathWithinContext() {
		List<String> paths = List.of("", "/", "/login", "/login/", "/logi", "/Login", "/app/login");
		for (String contextPath : List.of("", "/app")) {
			for (String requestPath : paths) {
				MockHttpServletRequest request = request(contextPath, contextPath + requestPath);
				for (int from = 0; from <= paths.size(); from++) {
					List<String> some = paths.subList(from, Math.min(paths.size(), from + 2));
					assertThat(PathPatterns.isAnyPathWithinContext(request, some))
						.as("%s%s against %s", contextPath, requestPath, some)
						.isEqualTo(some.stream().anyMatch((path) -> PathPatterns.isPathWithinContext(request, path)));
				}
			}
		}
		MockHttpServletRequest include = request("/app", "/app/page");
		include.setDispatcherType(DispatcherType.INCLUDE);
		include.setAttribute(RequestDispatcher.INCLUDE_REQUEST_URI, "/app/login");
		assertThat(PathPatterns.isAnyPathWithinContext(include, List.of("/page", "/login"))).isTrue();
		assertThat(PathPatterns.isAnyPathWithinContext(include, List.of("/page"))).isFalse();
	}

	@Test
	void isPathWithinContextWhenAnIncludeThenTheIncludedPath() {
		MockHttpServletRequest request = request("/app", "/app/page");
		request.setDispatcherType(DispatcherType.INCLUDE);
		request.setAttribute(RequestDispatcher.INCLUDE_REQUEST_URI, "/app/login");
		assertThat(PathPatterns.isPathWithinContext(request, "/login")).isTrue();
		assertThat(PathPatterns.isPathWithinContext(request, "/page")).isFalse();
	}

	@Test
	void matchesWhenDoubleWildcardThenMatchesTheDirectoryAndEverythingBelowIt() {
		PathPatterns patterns = parse("/account/**");
		assertThat(patterns.matches(request("/account"))).isTrue();
		assertThat(patterns.matches(request("/account/"))).isTrue();
		assertThat(patterns.matches(request("/account/password"))).isTrue();
		assertThat(patterns.matches(request("/account/password/reset"))).isTrue();
		assertThat(patterns.matches(request("/accounts"))).isFalse();
		assertThat(patterns.matches(request("/api/account/password"))).isFalse();
	}

	@Test
	void matchesWhenSingleWildcardThenMatchesOneSegment() {
		PathPatterns patterns = parse("/api/*/poll");
		assertThat(patterns.matches(request("/api/orders/poll"))).isTrue();
		assertThat(patterns.matches(request("/api/orders/1/poll"))).isFalse();
	}

	@Test
	void matchesWhenQueryStringThenIgnoresIt() {
		MockHttpServletRequest request = request("/api/poll");
		request.setQueryString("since=10&wait=true");
		assertThat(parse("/api/poll").matches(request)).isTrue();
	}

	@Test
	void matchesWhenTrailingSlashThenOnlyAPatternWithTheSlashOrDoubleWildcardMatches() {
		MockHttpServletRequest request = request("/api/poll/");
		assertThat(parse("/api/poll").matches(request)).isFalse();
		assertThat(parse("/api/poll/").matches(request)).isTrue();
		assertThat(parse("/api/poll/**").matches(request)).isTrue();
		assertThat(parse("/api/poll/").matches(request("/api/poll"))).isFalse();
	}

	@Test
	void matchesWhenPathIsPercentEncodedThenMatchesItsDecodedForm() {
		PathPatterns patterns = parse("/account/password");
		assertThat(patterns.matches(request("/account/pass%77ord"))).isTrue();
		assertThat(patterns.matches(request("/%61ccount/password"))).isTrue();
	}

	@Test
	void matchesWhenPatternHasASpaceThenMatchesTheEncodedPath() {
		assertThat(parse("/files/my report").matches(request("/files/my%20report"))).isTrue();
	}

	@Test
	void matchesWhenEncodedSlashThenItStaysInsideItsSegment() {
		PathPatterns patterns = parse("/account/password");
		assertThat(patterns.matches(request("/account%2Fpassword"))).isFalse();
		assertThat(parse("/*").matches(request("/account%2Fpassword"))).isTrue();
	}

	@Test
	void matchesWhenPathHasMatrixParametersThenIgnoresThem() {
		PathPatterns patterns = parse("/account/password");
		assertThat(patterns.matches(request("/account/password;jsessionid=abc"))).isTrue();
		assertThat(patterns.matches(request("/account;x=1/password"))).isTrue();
	}

	@Test
	void matchesWhenCaseDiffersThenFalse() {
		assertThat(parse("/account/password").matches(request("/Account/Password"))).isFalse();
	}

	@Test
	void matchesWhenPatternCapturesAVariableThenMatchesAnyValue() {
		PathPatterns patterns = parse("/orders/{id}/cancel");
		assertThat(patterns.matches(request("/orders/42/cancel"))).isTrue();
		assertThat(patterns.matches(request("/orders/cancel"))).isFalse();
	}

	@Test
	void parseWhenPatternIsInvalidThenNamesItsIndexAndWhy() {
		assertThatExceptionOfType(InvalidPathPatternsException.class)
			.isThrownBy(() -> parse("/api/poll", "/orders/{id"))
			.satisfies((ex) -> assertThat(ex.getInvalidPatterns()).singleElement().satisfies((invalid) -> {
				assertThat(invalid.index()).isEqualTo(1);
				assertThat(invalid.pattern()).isEqualTo("/orders/{id");
				assertThat(invalid.reason()).isNotBlank();
			}));
	}

	@Test
	void parseWhenSeveralPatternsAreInvalidThenNamesEveryOne() {
		assertThatExceptionOfType(InvalidPathPatternsException.class)
			.isThrownBy(() -> parse("/orders/{id", "/api/poll", "/orders/{id}/items/{id}"))
			.satisfies((ex) -> assertThat(ex.getInvalidPatterns())
				.extracting(InvalidPathPatternsException.InvalidPattern::index)
				.containsExactly(0, 2));
	}

}
