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
package dev.sessiontimeout.internal.security;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.AopConfigException;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.DecoratingProxy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Builds the proxy by which the starter decorates an application's session registry,
 * servlet or reactive: the registry's answer to one lookup ({@code getAllSessions}) is
 * the starter's, which leaves out the sessions it ended, and every other call goes to the
 * registry as it is. The proxy is of the registry's own class where that class can be
 * subclassed (not final, no final method of the registry's interface, not a proxy
 * already), so that the application may still inject it as the class it declared or call
 * its {@code @Bean} method in a proxied configuration; else it implements every interface
 * of the registry, and {@link LiveSessionsDecoration}. Either way the bean stays what
 * else it is: an {@code ApplicationListener} still hears its events (Spring Security's
 * {@code SessionRegistryImpl} listens to session events).
 *
 * @author session-timeout
 */
final class LiveSessionsProxies {

	private static final Log logger = LogFactory.getLog(LiveSessionsProxies.class);

	private static final String CGLIB_PACKAGE = "org.springframework.cglib.";

	private LiveSessionsProxies() {
	}

	/**
	 * Return a proxy of a registry whose {@code lookup} method is answered by
	 * {@code live}.
	 * @param <T> the registry's interface
	 * @param registry the application's registry
	 * @param registryType the registry's interface
	 * @param live the starter's registry that answers the lookup
	 * @param lookup the name of the method of {@code registryType} that {@code live}
	 * answers
	 * @return the proxy
	 */
	@SuppressWarnings("unchecked")
	static <T> T decorate(T registry, Class<T> registryType, T live, String lookup) {
		ProxyFactory proxyFactory = new ProxyFactory();
		proxyFactory.setTarget(registry);
		proxyFactory.addAdvice(new LiveSessions(registryType, live, lookup));
		if (isSubclassable(registry.getClass(), registryType) && !AopUtils.isAopProxy(registry)) {
			proxyFactory.setProxyTargetClass(true);
			try {
				return (T) proxyFactory.getProxy(registry.getClass().getClassLoader());
			}
			catch (AopConfigException | IllegalArgumentException ex) {
				logger.debug("Could not proxy the class of the " + registryType.getSimpleName()
						+ "; it is decorated as its interfaces", ex);
			}
		}
		proxyFactory.setProxyTargetClass(false);
		proxyFactory.setInterfaces(userInterfaces(registry.getClass()));
		proxyFactory.addInterface(registryType);
		proxyFactory.addInterface(LiveSessionsDecoration.class);
		try {
			return (T) proxyFactory.getProxy(registry.getClass().getClassLoader());
		}
		catch (IllegalArgumentException ex) {
			// an interface the registry's class loader does not see as the starter's
			return (T) proxyFactory.getProxy(LiveSessionsProxies.class.getClassLoader());
		}
	}

	/**
	 * Return whether a registry is a proxy that {@link #decorate} returned for the given
	 * interface.
	 * @param registry the registry
	 * @param registryType the registry's interface
	 * @return {@code true} if it leaves out the sessions the starter ended
	 */
	static boolean isDecorated(Object registry, Class<?> registryType) {
		return live(registry, registryType) != null;
	}

	/**
	 * Return the application's registry that a proxy {@link #decorate} returned decorates
	 * if the proxy is not of its class, else the registry as it is.
	 * @param <T> the registry's interface
	 * @param registry the registry
	 * @param registryType the registry's interface
	 * @return the registry whose class is the application's
	 */
	@SuppressWarnings("unchecked")
	static <T> T undecorated(T registry, Class<T> registryType) {
		if (registry instanceof LiveSessionsDecoration && registry instanceof Advised advised
				&& isDecorated(registry, registryType)) {
			Object target = AopProxyUtils.getSingletonTarget(advised);
			if (registryType.isInstance(target)) {
				return (T) target;
			}
		}
		return registry;
	}

	private static @Nullable LiveSessions live(Object registry, Class<?> registryType) {
		if (registry instanceof Advised advised) {
			for (Advisor advisor : advised.getAdvisors()) {
				if (advisor.getAdvice() instanceof LiveSessions live && live.registryType == registryType) {
					return live;
				}
			}
		}
		return null;
	}

	/**
	 * Return every interface of a class but those a proxy of it implements as a proxy.
	 */
	private static Class<?>[] userInterfaces(Class<?> type) {
		Set<Class<?>> interfaces = new LinkedHashSet<>(ClassUtils.getAllInterfacesForClassAsSet(type));
		interfaces.removeIf((implemented) -> implemented == SpringProxy.class || implemented == Advised.class
				|| implemented == DecoratingProxy.class || implemented.getName().startsWith(CGLIB_PACKAGE));
		return interfaces.toArray(Class<?>[]::new);
	}

	private static boolean isSubclassable(Class<?> type, Class<?> registryType) {
		if (Modifier.isFinal(type.getModifiers()) || type.getName().contains(ClassUtils.CGLIB_CLASS_SEPARATOR)) {
			return false;
		}
		for (Method method : registryType.getMethods()) {
			Method implementation = ClassUtils.getMostSpecificMethod(method, type);
			if (Modifier.isFinal(implementation.getModifiers())) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Answers the lookup of a proxy of the application's registry by the starter's
	 * registry, and passes every other call on.
	 */
	private static final class LiveSessions implements MethodInterceptor {

		private final Class<?> registryType;

		private final Object live;

		private final String lookup;

		private LiveSessions(Class<?> registryType, Object live, String lookup) {
			this.registryType = registryType;
			this.live = live;
			this.lookup = lookup;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			Method method = invocation.getMethod();
			Object[] arguments = invocation.getArguments();
			if (this.lookup.equals(method.getName()) && Arrays.stream(arguments).allMatch(Objects::nonNull)) {
				Method declared = ReflectionUtils.findMethod(this.registryType, method.getName(),
						method.getParameterTypes());
				if (declared != null) {
					return AopUtils.invokeJoinpointUsingReflection(this.live, declared, arguments);
				}
			}
			return invocation.proceed();
		}

	}

}
