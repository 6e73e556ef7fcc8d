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
package dev.sessiontimeout.internal.reactive;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAnswers;
import dev.sessiontimeout.internal.web.PathPatterns;

/**
 * Answers a WebFlux request whose session ended or whose user must authenticate again, as
 * the servlet answers do: a browser navigation is redirected to the expired URL with the
 * reason (or, for a challenge, to where its user signs in again, if its login flow says),
 * anything else gets a {@code 401} RFC 9457 problem with a {@code reason} member and, for
 * a challenge, the RFC 9470 {@code WWW-Authenticate} header. The answer is never cached.
 *
 * @author session-timeout
 */
final class ReactiveSessionAnswers {

	private final String expiredUrl;

	private final @Nullable String expiredPath;

	private final @Nullable String sessionCookieName;

	ReactiveSessionAnswers(String expiredUrl) {
		this(expiredUrl, null);
	}

	/**
	 * Create the answers.
	 * @param expiredUrl where browsers whose session ended are sent
	 * @param sessionCookieName the name of the session manager's session cookie, kept in
	 * the answer to a browser's load of something a page uses, or {@code null} if the
	 * session id is not in a cookie
	 */
	ReactiveSessionAnswers(String expiredUrl, @Nullable String sessionCookieName) {
		this.expiredUrl = expiredUrl;
		this.sessionCookieName = sessionCookieName;
		String path = PathPatterns.pathOf(SessionAnswers.expiredLocation(expiredUrl, ExpiryReason.INVALID));
		this.expiredPath = (path != null && path.startsWith("/")) ? path : null;
	}

	/**
	 * Answer a request whose session ended. A browser's load of something a page uses (an
	 * image, the page's icon) keeps the session cookie that the session manager drops for
	 * a session it no longer has: such a load can be answered after a navigation of the
	 * same browser whose answer set the cookie of a new session (the login page's), and
	 * dropping the cookie then would lose that session.
	 * @param exchange the exchange
	 * @param reason why it ended
	 * @return the completion of the answer
	 */
	Mono<Void> ended(ServerWebExchange exchange, ExpiryReason reason) {
		String cookieName = this.sessionCookieName;
		if (cookieName != null && !isBrowserNavigation(exchange)
				&& SessionAnswers.isPageResource(exchange.getRequest().getHeaders().getFirst("Sec-Fetch-Dest"))) {
			// Registered after the session manager's save, which the session's lookup
			// registered before the filter, the only caller, decided: so it runs after it
			ServerHttpResponse response = exchange.getResponse();
			response.beforeCommit(() -> Mono.fromRunnable(() -> keepCookie(response, cookieName)));
		}
		return answer(exchange, reason, null, null);
	}

	private static void keepCookie(ServerHttpResponse response, String cookieName) {
		List<ResponseCookie> cookies = response.getCookies().get(cookieName);
		if (cookies == null) {
			return;
		}
		// Only the manager's drop (an empty value that expires at once), in a list of its
		// own: the one set may be unmodifiable
		List<ResponseCookie> kept = new ArrayList<>(cookies);
		if (kept.removeIf((cookie) -> cookie.getValue().isEmpty() && cookie.getMaxAge().isZero())) {
			if (kept.isEmpty()) {
				response.getCookies().remove(cookieName);
			}
			else {
				response.getCookies().put(cookieName, kept);
			}
		}
	}

	/**
	 * Answer a request whose user must authenticate again.
	 * @param exchange the exchange
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @return the completion of the answer
	 */
	Mono<Void> challenge(ServerWebExchange exchange, ExpiryReason reason, Duration maxAge) {
		return challenge(exchange, reason, maxAge, List.of(), null);
	}

	/**
	 * Answer a request whose user must authenticate again, with an authentication that
	 * names one of the authentication context classes, sending a browser to where its
	 * user signs in again.
	 * @param exchange the exchange
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes, empty for any
	 * @param loginUrl where a browser goes to authenticate, a path within the application
	 * or absolute, or {@code null} for the expired URL
	 * @return the completion of the answer
	 */
	Mono<Void> challenge(ServerWebExchange exchange, ExpiryReason reason, Duration maxAge, List<String> acrValues,
			@Nullable String loginUrl) {
		return answer(exchange, reason, SessionAnswers.wwwAuthenticate(reason, maxAge, acrValues), loginUrl);
	}

	/**
	 * Answer a request whose own authentication (a bearer token) is not recent enough
	 * with the {@code 401}, the RFC 9470 challenge and the problem body, whatever it
	 * accepts: a token cannot be renewed by sending a browser to a login page.
	 * @param exchange the exchange
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @param acrValues the authentication context classes, empty for any
	 * @return the completion of the answer
	 */
	Mono<Void> challengeClient(ServerWebExchange exchange, ExpiryReason reason, Duration maxAge,
			List<String> acrValues) {
		ServerHttpResponse response = exchange.getResponse();
		noStore(response.getHeaders());
		return unauthorized(exchange, reason, SessionAnswers.wwwAuthenticate(reason, maxAge, acrValues));
	}

	/**
	 * Return whether a request is the expired URL's page, which is never answered with an
	 * ended session, else a browser sent there would be sent there again.
	 * @param exchange the exchange
	 * @return {@code true} for the expired page
	 */
	boolean isExpiredPage(ServerWebExchange exchange) {
		return this.expiredPath != null
				&& this.expiredPath.equals(exchange.getRequest().getPath().pathWithinApplication().value());
	}

	/**
	 * Answer a request whose session store does not answer: a {@code 503} RFC 9457
	 * problem that is never cached, for browsers too, since nothing about the session is
	 * known.
	 * @param exchange the exchange
	 * @return the completion of the answer
	 */
	Mono<Void> unavailable(ServerWebExchange exchange) {
		ServerHttpResponse response = exchange.getResponse();
		noStore(response.getHeaders());
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return write(response, SessionAnswers.unavailableProblem(exchange.getRequest().getPath().value()));
	}

	private Mono<Void> answer(ServerWebExchange exchange, ExpiryReason reason, @Nullable String challenge,
			@Nullable String loginUrl) {
		ServerHttpRequest request = exchange.getRequest();
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		noStore(headers);
		if (isBrowserNavigation(exchange)) {
			String location = (loginUrl != null) ? loginUrl : SessionAnswers.expiredLocation(this.expiredUrl, reason);
			response.setStatusCode(HttpStatus.FOUND);
			headers.setLocation(URI
				.create(location.startsWith("/") ? request.getPath().contextPath().value() + location : location));
			return response.setComplete();
		}
		return unauthorized(exchange, reason, challenge);
	}

	private static Mono<Void> unauthorized(ServerWebExchange exchange, ExpiryReason reason,
			@Nullable String challenge) {
		ServerHttpResponse response = exchange.getResponse();
		HttpHeaders headers = response.getHeaders();
		if (challenge != null) {
			headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
		}
		response.setStatusCode(HttpStatus.UNAUTHORIZED);
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return write(response, SessionAnswers.problem(exchange.getRequest().getPath().value(), reason));
	}

	/**
	 * Return whether a request is a browser's navigation, which is redirected rather than
	 * answered with a problem.
	 * @param exchange the exchange
	 * @return {@code true} for a browser's navigation
	 */
	static boolean isBrowserNavigation(ServerWebExchange exchange) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		return SessionAnswers.isBrowserNavigation(headers.getFirst("Sec-Fetch-Mode"),
				headers.getFirst("X-Requested-With"), headers.getFirst(HttpHeaders.ACCEPT));
	}

	private static Mono<Void> write(ServerHttpResponse response, String body) {
		DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(buffer));
	}

	private static void noStore(HttpHeaders headers) {
		SessionAnswers.NO_STORE_HEADERS.forEach(headers::set);
	}

}
