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

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Finds the security context repositories that the filters of a security filter chain
 * hold, and stands in for the request and session they write to, so that the session
 * attribute they keep the security context under is learnt from what they do, through
 * their public API: the starter reads the signed-in user from Spring Security's default
 * attribute only, as Spring Session's principal indexes do, so a repository that writes
 * elsewhere would leave every session anonymous to it.
 *
 * @author session-timeout
 */
final class SecurityContextRepositories {

	private SecurityContextRepositories() {
	}

	/**
	 * Return the values of the fields of the given type that the filters hold, the first
	 * of each, in order.
	 * @param <T> the repository type
	 * @param filters the filters of a chain
	 * @param type the repository type
	 * @return the repositories
	 */
	static <T> List<T> heldBy(Iterable<?> filters, Class<T> type) {
		Set<T> found = new LinkedHashSet<>();
		for (Object filter : filters) {
			for (Class<?> declaring = filter.getClass(); declaring != null
					&& declaring != Object.class; declaring = declaring.getSuperclass()) {
				for (Field field : declaring.getDeclaredFields()) {
					if (Modifier.isStatic(field.getModifiers()) || !type.isAssignableFrom(field.getType())) {
						continue;
					}
					Object value = read(field, filter);
					if (type.isInstance(value)) {
						found.add(type.cast(value));
					}
				}
			}
		}
		return new ArrayList<>(found);
	}

	/**
	 * Return the elements of the given type of the list fields that an object holds (the
	 * delegates of a {@code DelegatingSecurityContextRepository}), in order.
	 * @param <T> the element type
	 * @param holder the object
	 * @param type the element type
	 * @return the elements
	 */
	static <T> List<T> heldInLists(Object holder, Class<T> type) {
		List<T> found = new ArrayList<>();
		for (Class<?> declaring = holder.getClass(); declaring != null
				&& declaring != Object.class; declaring = declaring.getSuperclass()) {
			for (Field field : declaring.getDeclaredFields()) {
				if (Modifier.isStatic(field.getModifiers()) || !List.class.isAssignableFrom(field.getType())) {
					continue;
				}
				if (read(field, holder) instanceof List<?> list) {
					list.stream().filter(type::isInstance).map(type::cast).forEach(found::add);
				}
			}
		}
		return found;
	}

	private static @Nullable Object read(Field field, Object target) {
		try {
			field.setAccessible(true);
			return field.get(target);
		}
		catch (RuntimeException | IllegalAccessException ex) {
			// Not readable (a module that does not open it): not known
			return null;
		}
	}

	/**
	 * Return a stand-in of an interface whose methods answer as the given handler does,
	 * and otherwise with nothing: {@code null}, {@code false} or zero.
	 * @param <T> the interface
	 * @param type the interface
	 * @param answers answers the methods it knows, {@link #UNANSWERED} for others
	 * @return the stand-in
	 */
	static <T> T standIn(Class<T> type, InvocationHandler answers) {
		Object proxy = Proxy.newProxyInstance(SecurityContextRepositories.class.getClassLoader(),
				new Class<?>[] { type }, (self, method, args) -> {
					if (method.getDeclaringClass() == Object.class) {
						return switch (method.getName()) {
							case "equals" -> self == args[0];
							case "hashCode" -> System.identityHashCode(self);
							default -> type.getSimpleName() + " stand-in";
						};
					}
					Object answer = answers.invoke(self, method, args);
					if (answer != UNANSWERED) {
						return answer;
					}
					Class<?> returned = method.getReturnType();
					if (returned == boolean.class) {
						return false;
					}
					if (returned == int.class) {
						return 0;
					}
					if (returned == long.class) {
						return 0L;
					}
					return null;
				});
		return type.cast(proxy);
	}

	/**
	 * What a stand-in's handler answers for a method it does not know.
	 */
	static final Object UNANSWERED = new Object();

	/**
	 * The violation of a chain whose repository keeps the security context under another
	 * session attribute than the default one.
	 * @param kind the kind of chain ({@code SecurityFilterChain},
	 * {@code SecurityWebFilterChain})
	 * @param bean the name of the chain's bean
	 * @param repository the repository
	 * @param attribute the attribute it writes
	 * @param defaultAttribute the default attribute, which the starter reads
	 * @return the violation
	 */
	static Violation violation(String kind, String bean, Object repository, String attribute, String defaultAttribute) {
		return new Violation(kind, bean,
				"its " + repository.getClass().getSimpleName() + " keeps the signed-in user in the session attribute '"
						+ attribute + "', where session-timeout does not see it (it reads '" + defaultAttribute
						+ "', as Spring Session's principal indexes do): every session would be anonymous to it, and"
						+ " re-authentication, privileged paths and the policies of users would go unenforced",
				"keep the security context under Spring Security's default session attribute '" + defaultAttribute
						+ "' (remove the call that renames it)");
	}

}
