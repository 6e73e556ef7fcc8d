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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.FormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose responses outlive the decision to serve their request (server-sent
 * events, a streamed body, a servlet's own asynchronous writes, a deferred result),
 * driven by the test through the real filter chain (Spring Session's map store). Absolute
 * 1h, idle 30m; re-authentication 45m for auditors.
 */
@SpringBootTest(classes = AbstractLongLivedResponseTests.LongLivedApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=1h", "session-timeout.idle=30m",
				"session-timeout.policies[0].name=auditors", "session-timeout.policies[0].authorities=ROLE_AUDITOR",
				"session-timeout.policies[0].reauthentication=45m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
abstract class AbstractLongLivedResponseTests extends AbstractLiveApplicationTests {

	static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

	@Autowired
	Streams streams;

	final HttpClient client = HttpClient.newHttpClient();

	Instant start;

	Stream stream;

	@BeforeEach
	void startTheStreams() {
		this.streams.reset();
		this.start = this.clock.instant();
	}

	void signIn(String username) {
		assertThat(this.browser.login(username, "password").status()).isEqualTo(302);
	}

	@AfterEach
	void closeStream() throws IOException {
		if (this.stream != null) {
			this.stream.body().close();
		}
		this.streams.reset();
	}

	@Test
	void aDeferredResultIsServedBeforeTheDeadlineOfItsSession() throws Exception {
		signIn("user");
		CompletableFuture<HttpResponse<String>> deferred = requestDeferred();
		at(Duration.ofMinutes(30).minusMillis(1));
		this.streams.deferred().setResult("{\"result\":\"the report\"}");
		HttpResponse<String> response = deferred.get(30, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("the report");
	}

	@Test
	void aDeferredResultCompletedFromTheDeadlineOfItsSessionIsAnsweredAsTheEndedSession() throws Exception {
		signIn("user");
		CompletableFuture<HttpResponse<String>> deferred = requestDeferred();
		at(Duration.ofMinutes(30));
		this.streams.deferred().setResult("{\"result\":\"the report\"}");
		HttpResponse<String> response = deferred.get(30, TimeUnit.SECONDS);
		assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(401);
		assertThat(response.body()).contains("\"reason\":\"idle\"").doesNotContain("the report");
	}

	@Test
	void aDeferredResultCompletedAfterItsUserMustAuthenticateAgainIsAnsweredWithTheChallenge() throws Exception {
		signIn("auditor");
		CompletableFuture<HttpResponse<String>> deferred = requestDeferred();
		at(Duration.ofMinutes(25));
		assertThat(this.browser.get("/activity", TestBrowser.JSON).status()).isEqualTo(200);
		at(Duration.ofMinutes(45));
		this.streams.deferred().setResult("{\"result\":\"the report\"}");
		HttpResponse<String> response = deferred.get(30, TimeUnit.SECONDS);
		assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(401);
		assertThat(response.body()).contains("\"reason\":\"reauthentication\"").doesNotContain("the report");
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).contains("insufficient_user_authentication", "max_age=2700"));
	}

	void at(Duration sinceStart) {
		this.clock.fixAt(this.start.plus(sinceStart));
	}

	void openEvents() throws Exception {
		this.stream = open("/events", "text/event-stream");
		assertThat(this.stream.status()).isEqualTo(200);
		assertThat(this.stream.nextEvent()).isEqualTo("open");
		assertEventSent("one");
	}

	void assertEventSent(String data) throws Exception {
		assertThat(this.streams.send(data)).as("event %s sent", data).isTrue();
		assertThat(this.stream.nextEvent()).isEqualTo(data);
	}

	void assertEventRefused(String data) throws Exception {
		assertThat(this.streams.send(data)).as("event %s sent", data).isFalse();
	}

	void assertEndOfStream() throws Exception {
		String line = this.stream.nextLine();
		while (line != null) {
			assertThat(line).as("the rest of the stream").isEmpty();
			line = this.stream.nextLine();
		}
	}

	Stream open(String path, String accept) throws Exception {
		HttpResponse<InputStream> response = this.client.send(request(path, accept), BodyHandlers.ofInputStream());
		Stream stream = new Stream(response.statusCode(), response.body(), new LinkedBlockingQueue<>());
		this.streams.awaitDispatched();
		Thread reader = new Thread(() -> stream.read(), "stream-reader");
		reader.setDaemon(true);
		reader.start();
		return stream;
	}

	CompletableFuture<HttpResponse<String>> requestDeferred() throws Exception {
		CompletableFuture<HttpResponse<String>> response = this.client.sendAsync(request("/deferred", TestBrowser.JSON),
				BodyHandlers.ofString());
		this.streams.deferred = this.streams.deferreds.poll(30, TimeUnit.SECONDS);
		assertThat(this.streams.deferred()).as("the deferred result").isNotNull();
		this.streams.awaitDispatched();
		return response;
	}

	/**
	 * Return which of the starter's wrappers the application's request and response pass
	 * through, as JSON.
	 */
	String layers() {
		Response response = this.browser.get("/layers", TestBrowser.JSON);
		assertThat(response.status()).isEqualTo(200);
		return response.body();
	}

	HttpRequest request(String path, String accept) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Accept", accept)
			.header("Cookie", "SESSION=" + this.browser.cookie("SESSION"))
			.build();
	}

	/**
	 * A response read line by line as it arrives; {@code null} ends it.
	 */
	record Stream(int status, InputStream body, BlockingQueue<Object> lines) {

		private static final Object END = new Object();

		void read() {
			StringBuilder line = new StringBuilder();
			try (InputStream in = this.body) {
				int b;
				while ((b = in.read()) != -1) {
					if (b == '\n') {
						this.lines.add(line.toString());
						line.setLength(0);
					}
					else {
						line.append((char) b);
					}
				}
			}
			catch (IOException ex) {
				// The stream ended
			}
			this.lines.add(END);
		}

		String nextLine() throws InterruptedException {
			Object line = this.lines.poll(30, TimeUnit.SECONDS);
			assertThat(line).as("a line within 30s").isNotNull();
			return (line != END) ? (String) line : null;
		}

		String nextEvent() throws InterruptedException {
			String line = nextLine();
			while (line != null && !line.startsWith("data:")) {
				line = nextLine();
			}
			return (line != null) ? line.substring("data:".length()) : null;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(FormLoginConfiguration.class)
	static class LongLivedApplication {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build(),
					User.withUsername("auditor").password("{noop}password").roles("AUDITOR").build());
		}

		@Bean
		Streams streams() {
			return new Streams();
		}

		/**
		 * Tells the streams when the first dispatch of a request that went asynchronous
		 * has returned through every filter, Spring Session's save of its copy of the
		 * session included, so that this save cannot land after what the test does next
		 * (and take back the activity of a later request).
		 */
		@Bean
		FilterRegistrationBean<Filter> asyncDispatchedFilter(Streams streams) {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				chain.doFilter(request, response);
				if (request.getDispatcherType() == DispatcherType.REQUEST && request.isAsyncStarted()) {
					streams.dispatched.release();
				}
			});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@RestController
		static class Pages {

			private final Streams streams;

			Pages(Streams streams) {
				this.streams = streams;
			}

			@GetMapping("/activity")
			Map<String, Object> activity() {
				return Map.of("active", true);
			}

			@GetMapping("/layers")
			Map<String, Object> layers(HttpServletRequest request, HttpServletResponse response) {
				boolean startersRequest = false;
				ServletRequest currentRequest = request;
				while (currentRequest instanceof ServletRequestWrapper wrapper) {
					startersRequest |= wrapper.getClass().getName().endsWith("$SessionTimeoutRequestWrapper");
					currentRequest = wrapper.getRequest();
				}
				boolean watchedResponse = false;
				ServletResponse currentResponse = response;
				while (currentResponse instanceof ServletResponseWrapper wrapper) {
					watchedResponse |= wrapper instanceof WatchedResponse;
					currentResponse = wrapper.getResponse();
				}
				return Map.of("startersRequest", startersRequest, "watchedResponse", watchedResponse);
			}

			@GetMapping("/events")
			SseEmitter events() throws IOException {
				SseEmitter emitter = new SseEmitter(0L);
				emitter.send("open");
				this.streams.events = emitter;
				return emitter;
			}

			@GetMapping("/stream")
			StreamingResponseBody stream(HttpServletResponse response) {
				return (out) -> this.streams.stream(out, response);
			}

			/**
			 * Go asynchronous the way a plain servlet does, and write through the
			 * asynchronous context's writer.
			 */
			@GetMapping("/plain")
			void plain(HttpServletRequest request, HttpServletResponse response) throws IOException {
				AsyncContext async = request.startAsync();
				async.setTimeout(60_000);
				async.getResponse().setContentType("text/plain");
				PrintWriter writer = async.getResponse().getWriter();
				writer.println("open");
				writer.flush();
				this.streams.plain = writer;
			}

			@GetMapping("/deferred")
			DeferredResult<String> deferred() {
				DeferredResult<String> deferred = new DeferredResult<>(60_000L);
				this.streams.deferreds.add(deferred);
				return deferred;
			}

		}

	}

	/**
	 * The application's open long-lived responses, driven by the test.
	 */
	static class Streams {

		volatile SseEmitter events;

		volatile DeferredResult<String> deferred;

		final BlockingQueue<DeferredResult<String>> deferreds = new LinkedBlockingQueue<>();

		final Semaphore dispatched = new Semaphore(0);

		volatile PrintWriter plain;

		private final BlockingQueue<String> chunks = new LinkedBlockingQueue<>();

		private final BlockingQueue<Object> written = new LinkedBlockingQueue<>();

		void reset() {
			SseEmitter events = this.events;
			if (events != null) {
				events.complete();
			}
			this.events = null;
			this.deferred = null;
			this.deferreds.clear();
			this.dispatched.drainPermits();
			this.plain = null;
			this.chunks.clear();
			this.written.clear();
		}

		boolean send(String data) {
			try {
				this.events.send(data);
				return true;
			}
			catch (IOException | IllegalStateException ex) {
				return false;
			}
		}

		/**
		 * Print a line on the servlet's own asynchronous writer.
		 * @return whether it was written, as {@link PrintWriter#checkError()} tells
		 */
		boolean print(String line) {
			this.plain.println(line);
			this.plain.flush();
			return !this.plain.checkError();
		}

		DeferredResult<String> deferred() {
			return this.deferred;
		}

		/**
		 * Wait until the first dispatch of the request that went asynchronous last has
		 * returned.
		 */
		void awaitDispatched() throws InterruptedException {
			assertThat(this.dispatched.tryAcquire(30, TimeUnit.SECONDS)).as("the first dispatch returned").isTrue();
		}

		/**
		 * Write a chunk of the streamed body, returning it once written, else the
		 * exception that refused it.
		 */
		Object write(String chunk) throws InterruptedException {
			this.chunks.add(chunk);
			Object written = this.written.poll(30, TimeUnit.SECONDS);
			assertThat(written).as("chunk %s handled", chunk).isNotNull();
			return written;
		}

		void stream(OutputStream out, HttpServletResponse response) throws IOException {
			out.write("open\n".getBytes(StandardCharsets.UTF_8));
			response.flushBuffer();
			try {
				while (true) {
					String chunk = this.chunks.poll(60, TimeUnit.SECONDS);
					if (chunk == null) {
						return;
					}
					try {
						out.write(chunk.getBytes(StandardCharsets.UTF_8));
						response.flushBuffer();
						this.written.add(chunk);
					}
					catch (IOException | RuntimeException ex) {
						this.written.add(ex);
						throw ex;
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
