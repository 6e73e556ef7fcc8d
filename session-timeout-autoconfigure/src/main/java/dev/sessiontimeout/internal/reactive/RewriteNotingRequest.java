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

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;

/**
 * The request of a request that its session's decision served where privileged paths are
 * configured: a request that a web filter of the application builds from it
 * ({@code exchange.mutate().request(...)}, {@code request.mutate()}) is noted, as the one
 * the application answers, and notes the requests built from it in turn.
 *
 * @author session-timeout
 */
final class RewriteNotingRequest extends ServerHttpRequestDecorator {

	private static final String REWRITTEN_REQUEST_ATTRIBUTE = RewriteNotingRequest.class.getName()
			+ ".REWRITTEN_REQUEST";

	private static final String NOTED_RESPONSE_ATTRIBUTE = RewriteNotingRequest.class.getName() + ".NOTED_RESPONSE";

	private final ServerWebExchange root;

	RewriteNotingRequest(ServerHttpRequest request, ServerWebExchange root) {
		super(request);
		this.root = root;
	}

	@Override
	public Builder mutate() {
		return new NotingBuilder(getDelegate().mutate(), this.root);
	}

	/**
	 * Return the request that a web filter of the application last rewrote the request of
	 * an exchange to, if any.
	 * @param root the exchange as the session's decision served it
	 * @return the rewritten request, or {@code null}
	 */
	static @Nullable ServerHttpRequest rewritten(ServerWebExchange root) {
		return (root.getAttribute(REWRITTEN_REQUEST_ATTRIBUTE) instanceof ServerHttpRequest rewritten) ? rewritten
				: null;
	}

	/**
	 * Take back what was set of the response (its headers and cookies) since a web filter
	 * of the application first rewrote the request, as the starter answers instead.
	 * @param root the exchange as the session's decision served it
	 */
	static void withoutApplicationAnswer(ServerWebExchange root) {
		if (root.getAttribute(NOTED_RESPONSE_ATTRIBUTE) instanceof ResponseSnapshot noted) {
			noted.restore(root.getResponse());
		}
	}

	/**
	 * Builds a request from a {@link RewriteNotingRequest} and notes it.
	 */
	private static final class NotingBuilder implements ServerHttpRequest.Builder {

		private final ServerHttpRequest.Builder builder;

		private final ServerWebExchange root;

		NotingBuilder(ServerHttpRequest.Builder builder, ServerWebExchange root) {
			this.builder = builder;
			this.root = root;
		}

		@Override
		public ServerHttpRequest.Builder method(HttpMethod httpMethod) {
			this.builder.method(httpMethod);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder uri(URI uri) {
			this.builder.uri(uri);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder path(String path) {
			this.builder.path(path);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder contextPath(String contextPath) {
			this.builder.contextPath(contextPath);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder header(String headerName, String... headerValues) {
			this.builder.header(headerName, headerValues);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder headers(Consumer<HttpHeaders> headersConsumer) {
			this.builder.headers(headersConsumer);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder sslInfo(SslInfo sslInfo) {
			this.builder.sslInfo(sslInfo);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder remoteAddress(InetSocketAddress remoteAddress) {
			this.builder.remoteAddress(remoteAddress);
			return this;
		}

		@Override
		public ServerHttpRequest.Builder localAddress(InetSocketAddress localAddress) {
			this.builder.localAddress(localAddress);
			return this;
		}

		@Override
		public ServerHttpRequest build() {
			ServerHttpRequest built = this.builder.build();
			// What the response was before the first rewrite, for a challenge that
			// replaces the application's answer to take back what was set since
			this.root.getAttributes()
				.computeIfAbsent(NOTED_RESPONSE_ATTRIBUTE, (key) -> new ResponseSnapshot(this.root.getResponse()));
			this.root.getAttributes().put(REWRITTEN_REQUEST_ATTRIBUTE, built);
			return new RewriteNotingRequest(built, this.root);
		}

	}

}
