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

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * The beans with {@link RequiresPrivilegedSession} methods, for the checks that fail
 * startup rather than let such a method run unchecked.
 *
 * @author session-timeout
 */
final class PrivilegedBeans {

	static final String ANNOTATION = "@" + RequiresPrivilegedSession.class.getSimpleName();

	private PrivilegedBeans() {
	}

	/**
	 * Return the privileged methods of a type: those annotated themselves (on the method,
	 * a method it overrides or an interface method it implements), and the public methods
	 * of an annotated type.
	 * @param type the type, a proxy class of it included
	 * @return the methods, none if it has no privileged method
	 */
	static List<Method> privilegedMethods(Class<?> type) {
		Class<?> userType = ClassUtils.getUserClass(type);
		if (userType.getName().startsWith("org.springframework.")) {
			return List.of();
		}
		boolean typeAnnotated = MergedAnnotations.from(userType, SearchStrategy.TYPE_HIERARCHY)
			.isPresent(RequiresPrivilegedSession.class);
		List<Method> methods = new ArrayList<>();
		ReflectionUtils.doWithMethods(userType, methods::add,
				(method) -> !ReflectionUtils.isObjectMethod(method) && !method.isSynthetic() && !method.isBridge()
						&& ((typeAnnotated && Modifier.isPublic(method.getModifiers()))
								|| MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY)
									.isPresent(RequiresPrivilegedSession.class)));
		return methods;
	}

	/**
	 * Return the privileged methods of the beans that nothing would check, as
	 * {@code Class.method}: those of every bean definition, for an application where the
	 * checks are not on the class path.
	 * @param beanFactory the bean factory
	 * @param unchecked which of the methods would run unchecked
	 * @return the methods, none if there is none
	 */
	static List<String> uncheckedMethodsOfDefinitions(ConfigurableListableBeanFactory beanFactory,
			Predicate<Method> unchecked) {
		List<String> found = new ArrayList<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			Class<?> type = beanFactory.getType(name, false);
			if (type != null) {
				for (Method method : privilegedMethods(type)) {
					if (unchecked.test(method)) {
						found.add(ClassUtils.getUserClass(type).getName() + "." + method.getName());
					}
				}
			}
		}
		return found.stream().distinct().toList();
	}

}
