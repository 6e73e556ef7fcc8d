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
package dev.sessiontimeout.reactive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.WebSession;

import dev.sessiontimeout.testsupport.DiagnoseTimeouts;
import dev.sessiontimeout.testsupport.TestHttpClients;
import dev.sessiontimeout.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming responses on WebFlux (server-sent events, and a {@code Mono} whose value
 * comes late) write nothing once their session ended or their user must authenticate
 * again, through a real Netty server, run once per store by its subclasses. The
 * application drives each stream through a {@link Sinks.Many}; the starter's clock is
 * shifted, never waited for. A deadline stops a stream at its first element from the
 * deadline on; a session ended elsewhere at its first element once the response check
 * interval (10s, the default) has passed since its store was last read. Absolute 2h, idle
 * 30m, re-authentication 1h.
 */
@DirtiesContext
@ExtendWith(DiagnoseTimeouts.class)
@SpringBootTest(
		classes = { AbstractReactiveSessionStoreIntegrationTests.ReactiveStoreTestApplication.class,
				AbstractReactiveStreamingIntegrationTests.StreamsConfiguration.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=2h",
				"session-timeout.idle=30m", "session-timeout.store-grace=1m", "session-timeout.reauthentication=1h" })
abstract class AbstractReactiveStreamingIntegrationTests {

	static final Duration IDLE = Duration.ofMinutes(30);

	static final Duration ABSOLUTE = Duration.ofHours(2);

	static final Duration REAUTHENTICATION = Duration.ofHours(1);

	static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);

	static final Duration MILLI = Duration.ofMillis(1);

	static final String SESSION_COOKIE = "SESSION";

	private static final Object END = new Object();

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	@Autowired
	Streams streams;

	Instant start;

	WebTestClient client;

	@Nullable String session;

	private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

	private @Nullable Disposable reading;

	@BeforeEach
	void freshClient() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		this.streams.reset();
		this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
		this.session = null;
	}

	@AfterEach
	void closeStream() {
		if (this.reading != null) {
			this.reading.dispose();
		}
	}

	@Test
	void serverSentEventsStopAtTheIdleDeadlineOfTheirSession() throws Exception {
		addToCart("apple");
		openEvents();
		at(IDLE.minus(MILLI));
		assertEventSent("two");
		at(IDLE);
		assertEventRefused("three");
	}

	@Test
	void serverSentEventsGoOnWhileAnotherRequestKeepsTheSessionActiveAndStopAtTheAbsoluteDeadline() throws Exception {
		addToCart("apple");
		openEvents();
		for (Duration at = Duration.ofMinutes(20); at.compareTo(ABSOLUTE) < 0; at = at.plusMinutes(20)) {
			at(at);
			assertServed(get("/api/cart", MediaType.APPLICATION_JSON));
			at(at.plus(CHECK_INTERVAL));
			assertEventSent("at " + at);
		}
		at(ABSOLUTE.minus(MILLI));
		assertEventSent("last");
		at(ABSOLUTE);
		assertEventRefused("too late");
	}

	@Test
	void serverSentEventsStopOnceAnotherRequestEndedTheirSession() throws Exception {
		addToCart("apple");
		openEvents();
		at(IDLE);
		assertProblem(get("/api/cart", MediaType.APPLICATION_JSON), "idle");
		assertEventRefused("two");
	}

	@Test
	void serverSentEventsStopWithinTheCheckIntervalOfASignInElsewhere() throws Exception {
		addToCart("apple");
		openEvents();
		at(CHECK_INTERVAL);
		assertEventSent("two");
		String anonymous = this.session;
		assertThat(login("alice").getStatus().value()).isEqualTo(302);
		assertThat(this.session).as("a new session id").isNotEqualTo(anonymous);
		at(CHECK_INTERVAL.multipliedBy(2).minus(MILLI));
		assertEventSent("three");
		at(CHECK_INTERVAL.multipliedBy(2));
		assertEventRefused("four");
	}

	@Test
	void serverSentEventsStopWhenTheirUserMustAuthenticateAgain() throws Exception {
		assertThat(login("alice").getStatus().value()).isEqualTo(302);
		openEvents();
		for (Duration at = Duration.ofMinutes(20); at.compareTo(REAUTHENTICATION) < 0; at = at.plusMinutes(20)) {
			at(at);
			assertServed(get("/account", MediaType.APPLICATION_JSON));
		}
		at(REAUTHENTICATION.minus(MILLI));
		assertEventSent("two");
		at(REAUTHENTICATION);
		assertEventRefused("three");
		assertProblem(get("/account", MediaType.APPLICATION_JSON), "reauthentication");
	}

	@Test
	void serverSentEventsStopWithinTheCheckIntervalOfASignOutThatKeepsTheSession() throws Exception {
		assertThat(login("alice").getStatus().value()).isEqualTo(302);
		openEvents();
		at(CHECK_INTERVAL);
		assertEventSent("two");
		String signedIn = this.session;
		assertServed(get("/stream/sign-out", MediaType.APPLICATION_JSON));
		assertThat(this.session).as("the same session id").isEqualTo(signedIn);
		at(CHECK_INTERVAL.multipliedBy(2).minus(MILLI));
		assertEventSent("three");
		at(CHECK_INTERVAL.multipliedBy(2));
		assertEventRefused("four");
	}

	/**
	 * A body written as groups of elements, each flushed at its end (here one group, as
	 * {@code window(n)} or {@code window(Duration)} makes until the group is full): every
	 * element of a group is checked, not only the group.
	 */
	@Test
	void eventsWrittenInOneFlushedGroupStopAtTheIdleDeadlineOfTheirSession() throws Exception {
		addToCart("apple");
		openEvents("/stream/flushed");
		at(IDLE.minus(MILLI));
		assertEventSent("two");
		at(IDLE);
		assertEventRefused("three");
	}

	@Test
	void eventsOfAStreamThatStartsItsSessionStopAtTheIdleDeadlineOfThatSession() throws Exception {
		openEvents("/stream/visit");
		at(IDLE.minus(MILLI));
		assertEventSent("two");
		at(IDLE);
		assertEventRefused("three");
	}

	@Test
	void aLateValueIsServedBeforeTheDeadlineOfItsSession() throws Exception {
		addToCart("apple");
		CompletableFuture<ResponseEntity<String>> late = requestLateValue();
		at(IDLE.minus(MILLI));
		this.streams.complete("the report");
		ResponseEntity<String> response = late.get(30, TimeUnit.SECONDS);
		assertThat(response.getStatusCode().value()).isEqualTo(200);
		assertThat(response.getBody()).contains("the report");
	}

	@Test
	void aLateValueFromTheDeadlineOfItsSessionIsAnsweredAsTheEndedSession() throws Exception {
		addToCart("apple");
		CompletableFuture<ResponseEntity<String>> late = requestLateValue();
		at(IDLE);
		this.streams.complete("the report");
		ResponseEntity<String> response = late.get(30, TimeUnit.SECONDS);
		assertThat(response.getStatusCode().value()).as("%s", response).isEqualTo(401);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody()).contains("\"reason\":\"idle\"").doesNotContain("the report");
	}

	@Test
	void aLateValueAfterItsUserMustAuthenticateAgainIsAnsweredWithTheChallenge() throws Exception {
		assertThat(login("alice").getStatus().value()).isEqualTo(302);
		at(Duration.ofMinutes(20));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		at(Duration.ofMinutes(40));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		CompletableFuture<ResponseEntity<String>> late = requestLateValue();
		at(REAUTHENTICATION);
		this.streams.complete("the report");
		ResponseEntity<String> response = late.get(30, TimeUnit.SECONDS);
		assertThat(response.getStatusCode().value()).as("%s", response).isEqualTo(401);
		assertThat(response.getBody()).contains("\"reason\":\"reauthentication\"").doesNotContain("the report");
		assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.contains("insufficient_user_authentication", "max_age=3600");
	}

	@Test
	void aStreamAnyoneMayOpenOpenedWhileReauthenticationIsDueStopsAtItsSessionsEnd() throws Exception {
		assertThat(login("alice").getStatus().value()).isEqualTo(302);
		at(Duration.ofMinutes(20));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		at(Duration.ofMinutes(40));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		at(REAUTHENTICATION.minus(MILLI));
		assertServed(get("/account", MediaType.APPLICATION_JSON));
		at(REAUTHENTICATION);
		openEvents();
		at(REAUTHENTICATION.plus(IDLE).minus(MILLI).minus(MILLI));
		assertEventSent("still there");
		at(REAUTHENTICATION.plus(IDLE));
		assertEventRefused("after the idle deadline");
	}

	void at(Duration sinceStart) {
		this.clock.fixAt(this.start.plus(sinceStart));
	}

	void openEvents() throws Exception {
		openEvents("/stream/events");
	}

	private void openEvents(String path) throws Exception {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get().uri(path).accept(MediaType.TEXT_EVENT_STREAM);
		if (this.session != null) {
			request = request.cookie(SESSION_COOKIE, this.session);
		}
		FluxExchangeResult<String> result = request.exchange().returnResult(String.class);
		assertThat(result.getStatus().value()).isEqualTo(200);
		this.reading = result.getResponseBody()
			.subscribe(this.received::add, (ex) -> this.received.add(ex), () -> this.received.add(END));
		assertThat(this.received.poll(30, TimeUnit.SECONDS)).isEqualTo("open");
		assertEventSent("one");
	}

	void assertEventSent(String data) throws Exception {
		assertThat(this.streams.emit(data)).as("event %s emitted", data).isTrue();
		assertThat(this.received.poll(30, TimeUnit.SECONDS)).as("event %s received", data).isEqualTo(data);
	}

	/**
	 * Emit an event that the stream must not write: the client sees the end of the stream
	 * instead, and nothing after it.
	 */
	private void assertEventRefused(String data) throws Exception {
		this.streams.emit(data);
		assertThat(this.received.poll(30, TimeUnit.SECONDS)).as("the end of the stream instead of %s", data)
			.isSameAs(END);
		assertThat(this.streams.emit("more")).as("the stream no longer takes events").isFalse();
		assertThat(this.received).isEmpty();
	}

	private CompletableFuture<ResponseEntity<String>> requestLateValue() throws Exception {
		CompletableFuture<ResponseEntity<String>> response = WebClient.builder()
			.clientConnector(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.build()
			.get()
			.uri("/stream/late")
			.accept(MediaType.APPLICATION_JSON)
			.cookie(SESSION_COOKIE, this.session)
			.exchangeToMono((answer) -> answer.toEntity(String.class))
			.toFuture();
		this.streams.awaitLateValueRequested();
		return response;
	}

	EntityExchangeResult<String> addToCart(String item) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.post()
			.uri("/api/cart?item=" + item)
			.accept(MediaType.APPLICATION_JSON);
		if (this.session != null) {
			request = request.cookie(SESSION_COOKIE, this.session);
		}
		EntityExchangeResult<String> result = request.exchange().expectBody(String.class).returnResult();
		rememberCookie(result);
		return result;
	}

	EntityExchangeResult<String> login(String user) {
		WebTestClient.RequestBodySpec request = this.client.post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML);
		if (this.session != null) {
			request = request.cookie(SESSION_COOKIE, this.session);
		}
		EntityExchangeResult<String> result = request
			.body(BodyInserters.fromFormData("username", user).with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		rememberCookie(result);
		return result;
	}

	EntityExchangeResult<String> get(String path, MediaType accept) {
		WebTestClient.RequestHeadersSpec<?> request = this.client.get().uri(path).accept(accept);
		if (this.session != null) {
			request = request.cookie(SESSION_COOKIE, this.session);
		}
		EntityExchangeResult<String> result = request.exchange().expectBody(String.class).returnResult();
		rememberCookie(result);
		return result;
	}

	private void rememberCookie(EntityExchangeResult<String> result) {
		var cookie = result.getResponseCookies().getFirst(SESSION_COOKIE);
		if (cookie != null && !cookie.getValue().isEmpty() && !cookie.getMaxAge().isZero()) {
			this.session = cookie.getValue();
		}
	}

	static void assertServed(EntityExchangeResult<String> result) {
		assertThat(result.getStatus().value()).as("served: %s", result).isEqualTo(200);
	}

	static void assertProblem(EntityExchangeResult<String> result, String reason) {
		assertThat(result.getStatus().value()).as("%s", result).isEqualTo(401);
		assertThat(result.getResponseBody()).contains("\"reason\":\"" + reason + "\"");
	}

	/**
	 * The streams of the application, driven by the tests.
	 */
	static class Streams {

		private volatile Sinks.Many<String> events = Sinks.many().unicast().onBackpressureBuffer();

		private volatile Sinks.One<String> late = Sinks.one();

		private volatile CompletableFuture<Void> lateRequested = new CompletableFuture<>();

		void reset() {
			this.events = Sinks.many().unicast().onBackpressureBuffer();
			this.late = Sinks.one();
			this.lateRequested = new CompletableFuture<>();
		}

		Flux<String> events() {
			return Flux.concat(Mono.just("open"), this.events.asFlux());
		}

		boolean emit(String data) {
			return this.events.tryEmitNext(data).isSuccess();
		}

		Mono<Map<String, Object>> late() {
			return this.late.asMono()
				.<Map<String, Object>>map((value) -> Map.of("result", value))
				.doOnSubscribe((subscription) -> this.lateRequested.complete(null));
		}

		void complete(String value) {
			assertThat(this.late.tryEmitValue(value).isSuccess()).as("value emitted").isTrue();
		}

		void awaitLateValueRequested() throws Exception {
			this.lateRequested.get(30, TimeUnit.SECONDS);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StreamsConfiguration {

		@Bean
		Streams streams() {
			return new Streams();
		}

		@RestController
		static class StreamController {

			private final Streams streams;

			StreamController(Streams streams) {
				this.streams = streams;
			}

			/**
			 * Sign the session's user out as a logout handler of the application's may:
			 * the security context removed from the session, which keeps its id.
			 */
			@GetMapping(path = "/stream/sign-out", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> signOut(WebSession session) {
				session.getAttributes()
					.remove(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME);
				return Mono.just(Map.of("signedOut", true));
			}

			@GetMapping(path = "/stream/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
			Flux<String> events() {
				return this.streams.events();
			}

			/**
			 * The events as server-sent events, written in one group flushed at its end.
			 */
			@GetMapping(path = "/stream/flushed")
			Mono<Void> flushed(ServerHttpResponse response) {
				response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
				Flux<DataBuffer> events = this.streams.events()
					.map((data) -> response.bufferFactory()
						.wrap(("data:" + data + "\n\n").getBytes(StandardCharsets.UTF_8)));
				return response.writeAndFlushWith(Mono.just(events));
			}

			@GetMapping(path = "/stream/visit", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
			Flux<String> visit(WebSession session) {
				session.getAttributes().put("visited", true);
				return this.streams.events();
			}

			@GetMapping(path = "/stream/late", produces = MediaType.APPLICATION_JSON_VALUE)
			Mono<Map<String, Object>> late() {
				return this.streams.late();
			}

		}

	}

}
