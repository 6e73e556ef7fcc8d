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

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class RewriteNotingRequestTests {

	@Test
	void aRequestBuiltFromItIsNotedAndNotesInTurn() {
		MockServerWebExchange root = MockServerWebExchange.from(MockServerHttpRequest.get("/page"));
		RewriteNotingRequest noting = new RewriteNotingRequest(root.getRequest(), root);
		assertThat(RewriteNotingRequest.rewritten(root)).isNull();
		ServerHttpRequest first = noting.mutate().path("/moved").build();
		assertThat(pathOf(RewriteNotingRequest.rewritten(root))).isEqualTo("/moved");
		first.mutate().path("/account/transfer").build();
		assertThat(pathOf(RewriteNotingRequest.rewritten(root))).isEqualTo("/account/transfer");
		assertThat(pathOf(root.getRequest())).isEqualTo("/page");
	}

	@Test
	void takesBackWhatWasSetOfTheResponseSinceTheFirstRewrite() {
		MockServerWebExchange root = MockServerWebExchange.from(MockServerHttpRequest.get("/page"));
		root.getResponse().getHeaders().set("X-Before", "kept");
		root.getResponse().addCookie(ResponseCookie.from("before", "kept").build());
		RewriteNotingRequest noting = new RewriteNotingRequest(root.getRequest(), root);
		noting.mutate().path("/moved").build().mutate().path("/again").build();
		root.getResponse().getHeaders().set("X-Before", "changed");
		root.getResponse().getHeaders().set("X-Application", "answer");
		root.getResponse().addCookie(ResponseCookie.from("application", "answer").build());
		RewriteNotingRequest.withoutApplicationAnswer(root);
		assertThat(root.getResponse().getHeaders().get("X-Before")).containsExactly("kept");
		assertThat(root.getResponse().getHeaders().containsHeader("X-Application")).isFalse();
		assertThat(root.getResponse().getCookies().keySet()).containsExactly("before");
	}

	@Test
	void withoutARewriteNothingIsTakenBack() {
		MockServerWebExchange root = MockServerWebExchange
			.from(MockServerHttpRequest.get("/page").cookie(new HttpCookie("SESSION", "id")));
		root.getResponse().getHeaders().set("X-Application", "answer");
		RewriteNotingRequest.withoutApplicationAnswer(root);
		assertThat(root.getResponse().getHeaders().get("X-Application")).containsExactly("answer");
	}

	@Test
	void itsBuilderPassesOnEveryMethodOfSpringsBuilder() throws Exception {
		// A method Spring adds to the builder with a default body would bypass the
		// noting builder: each must be declared by it
		RewriteNotingRequest noting = new RewriteNotingRequest(MockServerHttpRequest.get("/page").build(),
				MockServerWebExchange.from(MockServerHttpRequest.get("/")));
		Class<?> builder = noting.mutate().getClass();
		for (Method method : ServerHttpRequest.Builder.class.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			Method declared = builder.getDeclaredMethod(method.getName(), method.getParameterTypes());
			assertThat(declared.getDeclaringClass()).as(method.toString()).isEqualTo(builder);
		}
		assertThat(Arrays.stream(ServerHttpRequest.Builder.class.getMethods())
			.filter((method) -> !Modifier.isStatic(method.getModifiers()))).hasSizeGreaterThan(5);
	}

	private static String pathOf(ServerHttpRequest request) {
		return request.getPath().pathWithinApplication().value();
	}

}
