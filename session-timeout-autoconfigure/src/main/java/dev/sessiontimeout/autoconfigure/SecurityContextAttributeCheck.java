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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Fails startup if a servlet security filter chain keeps the signed-in user under a
 * session attribute of its own ({@code HttpSessionSecurityContextRepository
 * .setSpringSecurityContextKey}): the starter, like Spring Session's principal index,
 * reads Spring Security's default attribute, so it would see no user in any session and
 * enforce none of the clocks that count from the authentication.
 *
 * @author session-timeout
 */
final class SecurityContextAttributeCheck implements SmartInitializingSingleton {

	private final ListableBeanFactory beanFactory;

	SecurityContextAttributeCheck(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Violation> violations = new ArrayList<>();
		this.beanFactory.getBeansOfType(SecurityFilterChain.class).forEach((name, chain) -> {
			for (HttpSessionSecurityContextRepository repository : sessionRepositories(
					SecurityContextRepositories.heldBy(chain.getFilters(), SecurityContextRepository.class), 0)) {
				String attribute = attributeOf(repository);
				if (attribute != null
						&& !HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY.equals(attribute)) {
					violations.add(SecurityContextRepositories.violation("SecurityFilterChain", name, repository,
							attribute, HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY));
					return;
				}
			}
		});
		if (!violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(violations);
		}
	}

	/**
	 * Return Spring Security's session repositories among the given ones and the
	 * delegates of its {@code DelegatingSecurityContextRepository}: only those are asked,
	 * which write nothing but the stand-in session; a repository of the application's
	 * own, which may keep the context in a store of its own, is never made to save
	 * anything.
	 */
	private static List<HttpSessionSecurityContextRepository> sessionRepositories(
			List<? extends SecurityContextRepository> repositories, int depth) {
		List<HttpSessionSecurityContextRepository> found = new ArrayList<>();
		for (SecurityContextRepository repository : repositories) {
			if (repository instanceof HttpSessionSecurityContextRepository session) {
				found.add(session);
			}
			else if (repository instanceof DelegatingSecurityContextRepository delegating && depth < 4) {
				found.addAll(sessionRepositories(
						SecurityContextRepositories.heldInLists(delegating, SecurityContextRepository.class),
						depth + 1));
			}
		}
		return found;
	}

	/**
	 * Return the session attribute a repository saves a signed-in user's security context
	 * under, learnt by having it save one to a stand-in session.
	 * @param repository the repository
	 * @return the attribute, or {@code null} if it saves none in the session (or could
	 * not be asked)
	 */
	static @Nullable String attributeOf(SecurityContextRepository repository) {
		Map<String, @Nullable Object> attributes = new LinkedHashMap<>();
		HttpSession session = SecurityContextRepositories.standIn(HttpSession.class, (self, method, args) -> {
			switch (method.getName()) {
				case "setAttribute" -> attributes.put((String) args[0], args[1]);
				case "getAttribute" -> {
					return attributes.get((String) args[0]);
				}
				case "removeAttribute" -> attributes.remove((String) args[0]);
				case "getId" -> {
					return "session-timeout-probe";
				}
				default -> {
					return SecurityContextRepositories.UNANSWERED;
				}
			}
			return null;
		});
		Map<String, @Nullable Object> requestAttributes = new LinkedHashMap<>();
		HttpServletRequest request = SecurityContextRepositories.standIn(HttpServletRequest.class,
				(self, method, args) -> switch (method.getName()) {
					case "getSession" -> session;
					case "getAttribute" -> requestAttributes.get((String) args[0]);
					case "setAttribute" -> requestAttributes.put((String) args[0], args[1]);
					case "getMethod" -> "GET";
					case "getRequestURI", "getServletPath" -> "/";
					case "getContextPath" -> "";
					default -> SecurityContextRepositories.UNANSWERED;
				});
		HttpServletResponse response = SecurityContextRepositories.standIn(HttpServletResponse.class,
				(self, method, args) -> SecurityContextRepositories.UNANSWERED);
		SecurityContext context = new SecurityContextImpl(
				UsernamePasswordAuthenticationToken.authenticated("session-timeout-probe", null, List.of()));
		try {
			repository.saveContext(context, request, response);
		}
		catch (RuntimeException ex) {
			return null;
		}
		for (Map.Entry<String, @Nullable Object> attribute : attributes.entrySet()) {
			if (attribute.getValue() == context) {
				return attribute.getKey();
			}
		}
		return null;
	}

}
