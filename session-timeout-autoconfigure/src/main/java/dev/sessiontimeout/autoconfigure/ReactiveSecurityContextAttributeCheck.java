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
package dev.sessiontimeout.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebSession;

/**
 * Fails startup if a WebFlux security filter chain keeps the signed-in user under a
 * session attribute of its own ({@code WebSessionServerSecurityContextRepository
 * .setSpringSecurityContextAttrName}): the starter, like Spring Session's principal
 * index, reads Spring Security's default attribute, so it would see no user in any
 * session and enforce none of the clocks that count from the authentication.
 *
 * @author session-timeout
 */
final class ReactiveSecurityContextAttributeCheck implements SmartInitializingSingleton {

	private final ListableBeanFactory beanFactory;

	ReactiveSecurityContextAttributeCheck(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Violation> violations = new ArrayList<>();
		String expected = WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;
		this.beanFactory.getBeansOfType(SecurityWebFilterChain.class).forEach((name, chain) -> {
			List<WebFilter> filters = chain.getWebFilters().collectList().block(Duration.ofSeconds(10));
			if (filters == null) {
				return;
			}
			// Spring Security's session repository only, which writes nothing but the
			// stand-in session: one of the application's own, which may keep the
			// context in a store of its own, is never made to save anything
			for (ServerSecurityContextRepository repository : SecurityContextRepositories.heldBy(filters,
					ServerSecurityContextRepository.class)) {
				if (!(repository instanceof WebSessionServerSecurityContextRepository)) {
					continue;
				}
				String attribute = attributeOf(repository);
				if (attribute != null && !expected.equals(attribute)) {
					violations.add(SecurityContextRepositories.violation("SecurityWebFilterChain", name, repository,
							attribute, expected));
					return;
				}
			}
		});
		if (!violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(violations);
		}
	}

	/**
	 * Return the session attribute a repository saves a signed-in user's security context
	 * under, learnt by having it save one to a stand-in session.
	 * @param repository the repository
	 * @return the attribute, or {@code null} if it saves none in the session (or could
	 * not be asked)
	 */
	static @Nullable String attributeOf(ServerSecurityContextRepository repository) {
		Map<String, Object> attributes = new ConcurrentHashMap<>();
		WebSession session = SecurityContextRepositories.standIn(WebSession.class,
				(self, method, args) -> switch (method.getName()) {
					case "getAttributes" -> attributes;
					case "getAttribute" -> attributes.get((String) args[0]);
					case "getId" -> "session-timeout-probe";
					case "isStarted" -> true;
					case "changeSessionId", "invalidate", "save" -> Mono.empty();
					default -> SecurityContextRepositories.UNANSWERED;
				});
		Map<String, Object> exchangeAttributes = new ConcurrentHashMap<>();
		ServerWebExchange exchange = SecurityContextRepositories.standIn(ServerWebExchange.class,
				(self, method, args) -> switch (method.getName()) {
					case "getSession" -> Mono.just(session);
					case "getAttributes" -> exchangeAttributes;
					case "getAttribute" -> exchangeAttributes.get((String) args[0]);
					default -> SecurityContextRepositories.UNANSWERED;
				});
		SecurityContext context = new SecurityContextImpl(
				UsernamePasswordAuthenticationToken.authenticated("session-timeout-probe", null, List.of()));
		try {
			repository.save(exchange, context).block(Duration.ofSeconds(5));
		}
		catch (RuntimeException ex) {
			return null;
		}
		for (Map.Entry<String, Object> attribute : attributes.entrySet()) {
			if (attribute.getValue() == context) {
				return attribute.getKey();
			}
		}
		return null;
	}

}
