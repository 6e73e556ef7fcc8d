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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.CharSequenceEncoder;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.EncoderHttpMessageWriter;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestHttpClients;

import static dev.sessiontimeout.reactive.AbstractReactiveSessionStoreIntegrationTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A privileged path of a privileged age of 15 minutes that no security filter chain
 * covers, which a web filter of the application answers itself right after Spring
 * Security's chains (before the starter's filter there), reached by an ordinary path that
 * another web filter of the application rewrites to it ahead of Spring Security: its user
 * is not served it once that age passed, as with the path itself. WebFlux's own store.
 *
 * @author session-timeout
 */
@DirtiesContext
@SpringBootTest(classes = ReactiveRewrittenUncoveredPrivilegedPathIntegrationTests.App.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "session-timeout.absolute=4h",
				"session-timeout.idle=30m", "session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/open/report,/open/status,/open/transfer",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration,"
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ReactiveRewrittenUncoveredPrivilegedPathIntegrationTests {

	static final String REPORT_HEADER = "X-Report";

	static final String REPORT_COOKIE = "report";

	static final String ENCODER_HEADER = "X-Encoder";

	@LocalServerPort
	int port;

	@Autowired
	MutableClock clock;

	Instant start;

	@Nullable String session;

	@BeforeEach
	void signIn() {
		this.start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.clock.fixAt(this.start);
		EntityExchangeResult<String> login = client().post()
			.uri("/login")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.accept(MediaType.TEXT_HTML)
			.body(BodyInserters.fromFormData("username", "alice").with("password", "password"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertThat(login.getStatus().value()).as("%s", login).isEqualTo(302);
		this.session = login.getResponseCookies().getFirst("SESSION").getValue();
	}

	@Test
	void anOrdinaryPathRewrittenToAnUncoveredPrivilegedPathIsNotServedOnceThePrivilegedAgePassed() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> fresh = get("/open/alias");
		assertThat(fresh.getResponseBody()).as("fresh: %s", fresh).isEqualTo("report of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> direct = get("/open/report");
		assertThat(direct.getResponseBody()).as("the path itself: %s", direct).isNotEqualTo("report of alice");
		EntityExchangeResult<String> rewritten = get("/open/alias");
		assertThat(rewritten.getResponseBody()).as("signed in 20 minutes ago, privileged age 15m: %s", rewritten)
			.isNotEqualTo("report of alice");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
	}

	@Test
	void anOrdinaryPathRewrittenToAnUncoveredPrivilegedPathAnsweredWithoutABodyIsNotServedOnceThePrivilegedAgePassed() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> fresh = get("/open/status-alias");
		assertThat(fresh.getResponseHeaders().getFirst(REPORT_HEADER)).as("fresh: %s", fresh)
			.isEqualTo("report of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> rewritten = get("/open/status-alias");
		assertThat(rewritten.getResponseHeaders().getFirst(REPORT_HEADER))
			.as("signed in 20 minutes ago, privileged age 15m: %s", rewritten)
			.isNotEqualTo("report of alice");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
	}

	@Test
	void anOrdinaryPathRewrittenAfterSpringSecurityToAnUncoveredPrivilegedPathIsNotServedOnceThePrivilegedAgePassed() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> fresh = get("/open/late-alias");
		assertThat(fresh.getResponseBody()).as("fresh: %s", fresh).isEqualTo("report of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> rewritten = get("/open/late-alias");
		assertThat(rewritten.getResponseBody()).as("signed in 20 minutes ago, privileged age 15m: %s", rewritten)
			.isNotEqualTo("report of alice");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
	}

	@Test
	void aCoveredOrdinaryPathRewrittenAfterSpringSecurityToAnUncoveredPrivilegedPathIsNotServedOnceThePrivilegedAgePassed() {
		// A chain covers /account/late-alias and judged it as the ordinary path it
		// was; a web filter after the chains rewrites it to /open/report
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> fresh = get("/account/late-alias");
		assertThat(fresh.getResponseBody()).as("fresh: %s", fresh).isEqualTo("report of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> rewritten = get("/account/late-alias");
		assertThat(rewritten.getResponseBody()).as("signed in 20 minutes ago, privileged age 15m: %s", rewritten)
			.isNotEqualTo("report of alice");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
	}

	@Test
	void anOrdinaryPathRewrittenBeforeAndAgainAfterSpringSecurityToAnUncoveredPrivilegedPathIsNotServedOnceThePrivilegedAgePassed() {
		// /open/twice is rewritten to the ordinary /open/late-alias ahead of Spring
		// Security (judged right after the chains), then to /open/report after them
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		EntityExchangeResult<String> fresh = get("/open/twice");
		assertThat(fresh.getResponseBody()).as("fresh: %s", fresh).isEqualTo("report of alice");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> rewritten = get("/open/twice");
		assertThat(rewritten.getResponseBody()).as("signed in 20 minutes ago, privileged age 15m: %s", rewritten)
			.isNotEqualTo("report of alice");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
	}

	@Test
	void theChallengeOfARewrittenUncoveredPrivilegedPathCarriesNoCookieOfTheApplicationsAnswer() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> rewritten = get("/open/alias");
		assertProblem(rewritten, ExpiryReason.PRIVILEGED);
		assertThat(rewritten.getResponseCookies().getFirst(REPORT_COOKIE))
			.as("what the application's answer set goes with it: %s", rewritten)
			.isNull();
	}

	@Test
	void theBodyOfTheApplicationsAnswerThatTheChallengeReplacedIsReleased() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		App.BODIES.clear();
		assertProblem(get("/open/alias"), ExpiryReason.PRIVILEGED);
		assertThat(App.BODIES).as("the application's answer was written").hasSize(1);
		assertReleased(App.BODIES.peek());
	}

	/**
	 * Assert that a pooled buffer of an answer that is never written goes back to its
	 * pool: on the server's event loop, which may do so a moment after the client read
	 * the starter's answer.
	 */
	private static void assertReleased(NettyDataBuffer buffer) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(buffer.getNativeBuffer().refCnt())
				.as("a pooled buffer of an answer that is never written goes back to its pool")
				.isZero());
	}

	@Test
	void theBodyThatSpringsEncoderWroteForTheAnswerThatTheChallengeReplacedIsReleased() {
		// EncoderHttpMessageWriter writes a single value's buffer as
		// Mono.just(buffer).doOnDiscard(..), no ScalarCallable any more
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		App.BODIES.clear();
		EntityExchangeResult<String> refused = client().get()
			.uri("/open/alias")
			.accept(MediaType.APPLICATION_JSON)
			.header(ENCODER_HEADER, "true")
			.cookie("SESSION", this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
		assertProblem(refused, ExpiryReason.PRIVILEGED);
		assertThat(App.BODIES).as("the encoder allocated the answer's buffer").hasSize(1);
		assertReleased(App.BODIES.peek());
	}

	@Test
	void theHandlerOfARewrittenUncoveredPrivilegedPathDoesNotRunOnceThePrivilegedAgePassed() {
		// A handler's Flux does its work (an R2DBC save, a WebClient call) only once
		// its body is subscribed: the challenge that replaces the answer must not
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(5)));
		App.TRANSFERS.set(0);
		EntityExchangeResult<String> fresh = get("/open/late-transfer");
		assertThat(fresh.getResponseBody()).as("fresh: %s", fresh).isEqualTo("transfer of alice");
		assertThat(App.TRANSFERS).as("fresh: the transfer is made").hasValue(1);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		App.TRANSFERS.set(0);
		assertProblem(get("/open/late-transfer"), ExpiryReason.PRIVILEGED);
		assertThat(App.TRANSFERS).as("signed in 20 minutes ago, privileged age 15m: no transfer").hasValue(0);
	}

	@Test
	void anOrdinaryPathRewrittenToAnotherOrdinaryPathIsServedAfterThePrivilegedAge() {
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		EntityExchangeResult<String> page = get("/open/page-alias");
		assertThat(page.getResponseBody()).as("%s", page).isEqualTo("page of alice");
	}

	private EntityExchangeResult<String> get(String path) {
		return client().get()
			.uri(path)
			.accept(MediaType.APPLICATION_JSON)
			.cookie("SESSION", this.session)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private WebTestClient client() {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(TestHttpClients.newConnection()))
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(Duration.ofSeconds(30))
			.build();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		/**
		 * The pooled buffers of the bodies the application's answers wrote.
		 */
		static final Queue<NettyDataBuffer> BODIES = new ConcurrentLinkedQueue<>();

		/**
		 * The transfers that the handler of {@code /open/transfer} made.
		 */
		static final AtomicInteger TRANSFERS = new AtomicInteger();

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		/**
		 * Between the starter's filter and Spring Security's: rewrites ordinary paths
		 * ({@code /open/alias}, {@code /open/status-alias}, {@code /open/page-alias},
		 * {@code /open/twice} to the ordinary {@code /open/late-alias}).
		 * @return the filter
		 */
		@Bean
		@Order(-1000)
		WebFilter rewriteFilter() {
			return (exchange, chain) -> {
				String path = exchange.getRequest().getPath().pathWithinApplication().value();
				String rewritten = switch (path) {
					case "/open/alias" -> "/open/report";
					case "/open/status-alias" -> "/open/status";
					case "/open/page-alias" -> "/open/page";
					case "/open/twice" -> "/open/late-alias";
					default -> null;
				};
				return (rewritten != null)
						? chain.filter(exchange.mutate().request((request) -> request.path(rewritten)).build())
						: chain.filter(exchange);
			};
		}

		/**
		 * Right after Spring Security's chains (the order of the starter's own filter
		 * there, registered before it): answers {@code /open/report} and
		 * {@code /open/page} with a body, {@code /open/status} with its headers only,
		 * with the user of the request's session.
		 * @return the filter
		 */
		@Bean
		@Order(-99)
		WebFilter reportFilter() {
			return App::answer;
		}

		/**
		 * After the starter's filter right after Spring Security's chains: rewrites
		 * {@code /open/late-alias} and {@code /account/late-alias} (which a chain covers)
		 * to {@code /open/report} and answers it itself.
		 * @return the filter
		 */
		@Bean
		@Order(0)
		WebFilter lateRewriteFilter() {
			return (exchange, chain) -> {
				String path = exchange.getRequest().getPath().pathWithinApplication().value();
				if ("/open/late-alias".equals(path) || "/account/late-alias".equals(path)) {
					return answer(exchange.mutate().request((request) -> request.path("/open/report")).build(), chain);
				}
				if ("/open/late-transfer".equals(path)) {
					// To the handler of the privileged /open/transfer
					return chain.filter(exchange.mutate().request((request) -> request.path("/open/transfer")).build());
				}
				return chain.filter(exchange);
			};
		}

		/**
		 * Answer {@code /open/report} and {@code /open/page} with a body and a cookie,
		 * {@code /open/status} with its headers only, with the user of the request's
		 * session; anything else goes on.
		 */
		private static Mono<Void> answer(ServerWebExchange exchange, WebFilterChain chain) {
			String path = exchange.getRequest().getPath().pathWithinApplication().value();
			String answer = switch (path) {
				case "/open/report", "/open/status" -> "report of ";
				case "/open/page" -> "page of ";
				default -> null;
			};
			if (answer == null) {
				return chain.filter(exchange);
			}
			ServerHttpResponse response = exchange.getResponse();
			Mono<String> user = exchange.getSession()
				.mapNotNull((session) -> session.<SecurityContext>getAttribute(
						WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME))
				.map((context) -> context.getAuthentication().getName())
				.defaultIfEmpty("none");
			if ("/open/status".equals(path)) {
				// Its status and headers only: the server completes the response
				return user.doOnNext((name) -> response.getHeaders().set(REPORT_HEADER, answer + name)).then();
			}
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			if (exchange.getRequest().getHeaders().containsHeader(ENCODER_HEADER)) {
				// Written by Spring's own encoder, whose buffers are recorded
				ServerHttpResponse recorded = new ServerHttpResponseDecorator(response) {

					@Override
					public DataBufferFactory bufferFactory() {
						return recording((NettyDataBufferFactory) super.bufferFactory());
					}

				};
				return user.flatMap((name) -> new EncoderHttpMessageWriter<>(CharSequenceEncoder.allMimeTypes()).write(
						Mono.just(answer + name), ResolvableType.forClass(String.class), MediaType.APPLICATION_JSON,
						recorded, Map.of()));
			}
			return user.flatMap((name) -> {
				// A cookie of the answer, as a download token would be
				response.addCookie(ResponseCookie.from(REPORT_COOKIE, name).build());
				// A pooled buffer, as an encoder writes: it must go back to its pool
				DataBuffer body = response.bufferFactory()
					.allocateBuffer(64)
					.write((answer + name).getBytes(StandardCharsets.UTF_8));
				if (body instanceof NettyDataBuffer pooled) {
					BODIES.add(pooled);
				}
				return response.writeWith(Mono.just(body));
			});
		}

		private static NettyDataBufferFactory recording(NettyDataBufferFactory factory) {
			return new NettyDataBufferFactory(factory.getByteBufAllocator()) {

				@Override
				public NettyDataBuffer allocateBuffer(int initialCapacity) {
					NettyDataBuffer buffer = super.allocateBuffer(initialCapacity);
					BODIES.add(buffer);
					return buffer;
				}

			};
		}

		/**
		 * Answers the privileged {@code /open/transfer} with a body whose work (the
		 * transfer) is done once the body is subscribed, as a handler's Flux does.
		 * @return the router
		 */
		@Bean
		RouterFunction<ServerResponse> transferRoute() {
			return RouterFunctions.route(RequestPredicates.GET("/open/transfer"),
					(request) -> request.session()
						.mapNotNull((session) -> session.<SecurityContext>getAttribute(
								WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME))
						.map((context) -> context.getAuthentication().getName())
						.defaultIfEmpty("none")
						.flatMap((name) -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).body(Flux.defer(() -> {
							TRANSFERS.incrementAndGet();
							return Flux.just("transfer of ", name);
						}), String.class)));
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/account/**", "/login", "/logout"))
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/login").permitAll().anyExchange().authenticated())
				.formLogin((form) -> form.loginPage("/login"))
				.csrf(ServerHttpSecurity.CsrfSpec::disable)
				.build();
		}

		@Bean
		MapReactiveUserDetailsService userDetailsService() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

	}

}
