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
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * The beans with {@link RequiresPrivilegedSession} methods, for the checks that fail
 * startup rather than let such a method run unchecked, and for the warnings where
 * session-timeout checks none of them.
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

	/**
	 * Return a callback that logs one WARN at startup, once the singletons are created,
	 * if the application has privileged methods, which nothing checks: why, how many, one
	 * of them, and what to do.
	 * @param beanFactory the bean factory
	 * @param logger the logger of the auto-configuration that warns
	 * @param why why nothing checks them
	 * @param remedy what to do about it
	 * @return the callback
	 */
	static SmartInitializingSingleton uncheckedMethodsWarning(ConfigurableListableBeanFactory beanFactory, Log logger,
			String why, String remedy) {
		return () -> {
			if (!logger.isWarnEnabled()) {
				return;
			}
			List<String> methods = uncheckedMethodsOfDefinitions(beanFactory, (method) -> true);
			if (!methods.isEmpty()) {
				logger.warn(
						why + ": " + methods.size() + " " + ANNOTATION + " method" + ((methods.size() != 1) ? "s" : "")
								+ ", such as " + methods.get(0) + ", run without a recent authentication; " + remedy);
			}
		};
	}

	/**
	 * Return a violation for each privileged method of a singleton bean, created by now,
	 * that the starter's advisor does not check: a bean that was created before the
	 * auto-proxy creator (a dependency of a {@code BeanPostProcessor}), which it never
	 * proxies.
	 * @param beanFactory the bean factory
	 * @param advisorBeanName the name of the starter's advisor; nothing is checked
	 * without it
	 * @param checked which of the methods the advisor would check
	 * @return the violations, none if there is none
	 */
	static List<Violation> unadvised(ConfigurableListableBeanFactory beanFactory, String advisorBeanName,
			Predicate<Method> checked) {
		if (!beanFactory.containsBean(advisorBeanName)) {
			return List.of();
		}
		Object advisor = beanFactory.getBean(advisorBeanName);
		List<Violation> violations = new ArrayList<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			if (!beanFactory.containsSingleton(name)) {
				continue;
			}
			Object bean = beanFactory.getSingleton(name);
			if (bean == null || bean instanceof FactoryBean<?> || isAdvisedBy(bean, advisor)) {
				continue;
			}
			Class<?> type = AopUtils.getTargetClass(bean);
			for (Method method : privilegedMethods(type)) {
				if (checked.test(method)) {
					violations.add(unadvised(name, ClassUtils.getUserClass(type).getName() + "." + method.getName()));
				}
			}
		}
		return violations.stream().distinct().toList();
	}

	/**
	 * Return the violation of privileged paths in an application without Spring Security,
	 * servlet or WebFlux.
	 * @param paths the privileged paths
	 * @return the violation
	 */
	static Violation pathsWithoutSpringSecurity(List<String> paths) {
		return new Violation(SessionTimeoutPropertyNames.PRIVILEGED_PATHS, String.join(",", paths),
				"privileged paths need the time the user authenticated, which Spring Security records,"
						+ " and it is not on the classpath",
				"add spring-boot-starter-security, or remove the property");
	}

	private static boolean isAdvisedBy(Object bean, Object advisor) {
		if (!(bean instanceof Advised advised)) {
			return false;
		}
		Advisor[] advisors = advised.getAdvisors();
		return Arrays.asList(advisors).contains(advisor);
	}

	private static Violation unadvised(String bean, String method) {
		return new Violation(ANNOTATION, method + " (bean '" + bean + "')",
				"the bean '" + bean + "' was created before the auto-proxy creator that applies the privileged-session"
						+ " check (as a dependency of a BeanPostProcessor, such as a PriorityOrdered one), so it is"
						+ " not proxied and its privileged method would run unchecked",
				"do not create it from a PriorityOrdered BeanPostProcessor's dependencies: inject it there lazily,"
						+ " with an ObjectProvider or @Lazy");
	}

}
