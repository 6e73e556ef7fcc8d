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
package dev.sessiontimeout.testsupport;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.Matcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real HTTP client that keeps cookies the way a browser does and never follows
 * redirects, so that tests see every {@code 302}.
 */
public final class TestBrowser {

	/**
	 * What a browser navigation accepts.
	 */
	public static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

	/**
	 * What an API call accepts.
	 */
	public static final String JSON = "application/json";

	/**
	 * How long a request waits for the headers of its answer
	 * ({@link HttpRequest#timeout}, which does not cover the body).
	 */
	private static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How long a request waits for its whole answer, body included: a server that sent
	 * the headers and then never ends the body fails the test instead of hanging it.
	 */
	static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

	private static final HttpClient client = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String baseUrl;

	private final Duration answerTimeout;

	private final Map<String, String> cookies = new ConcurrentHashMap<>();

	public TestBrowser(int port) {
		this("http://localhost:" + port);
	}

	/**
	 * Create a browser for the application at the given base URL. Its cookies go to every
	 * URL it requests: use one browser per host.
	 * @param baseUrl the scheme, host and port, such as {@code http://127.0.0.1:8080}
	 */
	public TestBrowser(String baseUrl) {
		this(baseUrl, ANSWER_TIMEOUT);
	}

	TestBrowser(String baseUrl, Duration answerTimeout) {
		this.baseUrl = baseUrl;
		this.answerTimeout = answerTimeout;
	}

	public Response get(String path, String accept, String... headers) {
		return getUrl(this.baseUrl + path, accept, headers);
	}

	/**
	 * GET a path of a server that may cut the connection before it answers (a store
	 * outage, a session saved as the response is committed).
	 * @param path the path
	 * @param accept the Accept header
	 * @return the response, or one of status {@code 0} whose body is the failure's cause
	 * if the connection was cut
	 */
	public Response getAllowingCut(String path, String accept) {
		try {
			return get(path, accept);
		}
		catch (IllegalStateException ex) {
			return new Response(0, null, null, String.valueOf(ex.getCause()), List.of(), Map.of());
		}
	}

	/**
	 * GET an absolute URL, such as the {@code Location} of a redirect to another server.
	 * @param url the URL
	 * @param accept the Accept header
	 * @param headers further headers, as names and values
	 * @return the response
	 */
	public Response getUrl(String url, String accept, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", accept);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.GET());
	}

	public Response head(String path, String accept, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path)).header("Accept", accept);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.method("HEAD", HttpRequest.BodyPublishers.noBody()));
	}

	public Response delete(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path)).header("Accept", JSON);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.DELETE());
	}

	public Response post(String path, Map<String, String> form, String accept, String... headers) {
		String body = form.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Accept", accept)
			.header("Content-Type", "application/x-www-form-urlencoded");
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	/**
	 * Log in through the form login, which must answer with a redirect.
	 * @param username the user name
	 * @param password the password
	 * @return the response of the login
	 */
	public Response login(String username, String password) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", username);
		form.put("password", password);
		return post("/login", form, HTML);
	}

	public String cookie(String name) {
		return this.cookies.get(name);
	}

	public void setCookie(String name, String value) {
		this.cookies.put(name, value);
	}

	private Response send(HttpRequest.Builder request) {
		if (!this.cookies.isEmpty()) {
			request.header("Cookie",
					this.cookies.entrySet()
						.stream()
						.map((entry) -> entry.getKey() + "=" + entry.getValue())
						.collect(Collectors.joining("; ")));
		}
		HttpRequest built = request.timeout(HEADERS_TIMEOUT).build();
		CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(built,
				HttpResponse.BodyHandlers.ofString());
		try {
			HttpResponse<String> response = exchange.get(this.answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
			response.headers().allValues("Set-Cookie").forEach(this::store);
			return new Response(response.statusCode(), response.headers().firstValue("Location").orElse(null),
					response.headers().firstValue("Content-Type").orElse(null), response.body(),
					response.headers().allValues("Set-Cookie"), response.headers().map());
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			exchange.cancel(true);
			throw new IllegalStateException(new HttpTimeoutException("No whole answer to " + built.method() + " "
					+ built.uri() + " within " + this.answerTimeout.toSeconds() + " s (its body was not complete)"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void store(String setCookie) {
		String[] parts = setCookie.split(";");
		String[] nameValue = parts[0].split("=", 2);
		String name = nameValue[0].strip();
		String value = (nameValue.length > 1) ? nameValue[1].strip() : "";
		boolean expired = value.isEmpty();
		for (int i = 1; i < parts.length; i++) {
			String attribute = parts[i].strip().toLowerCase();
			if (attribute.equals("max-age=0") || attribute.startsWith("expires=thu, 01 jan 1970")) {
				expired = true;
			}
		}
		if (expired) {
			this.cookies.remove(name);
		}
		else {
			this.cookies.put(name, value);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param location the Location header
	 * @param contentType the Content-Type header
	 * @param body the body
	 * @param setCookies the Set-Cookie headers
	 * @param headers every header, by lower-case name
	 */
	public record Response(int status, String location, String contentType, String body, List<String> setCookies,
			Map<String, List<String>> headers) {

		/**
		 * Return the first value of a header.
		 * @param name the header name
		 * @return the value, or {@code null}
		 */
		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		/**
		 * Return a string member of the JSON body.
		 * @param member the member's name
		 * @return its value
		 */
		public String jsonString(String member) {
			Matcher matcher = Pattern.compile("\"" + Pattern.quote(member) + "\":\"([^\"]*)\"").matcher(this.body);
			assertThat(matcher.find()).as("member %s in %s", member, this.body).isTrue();
			return matcher.group(1);
		}

		@Override
		public String toString() {
			return this.status + " Location=" + this.location + " Content-Type=" + this.contentType + " Set-Cookie="
					+ this.setCookies + " body=" + this.body;
		}

	}

}
