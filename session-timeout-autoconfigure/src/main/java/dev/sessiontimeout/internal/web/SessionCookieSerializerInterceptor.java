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
package dev.sessiontimeout.internal.web;

import java.lang.reflect.Modifier;
import java.util.Arrays;

import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.CookieSerializer.CookieValue;

/**
 * Gives the session cookie that Spring Session writes through the application's
 * {@link CookieSerializer} (for a new session, or after its id changed at login) the
 * {@code Max-Age} that the {@link SessionTimeoutFilter} chose for the request, keeps the
 * cookie that Spring Session would drop after the filter ended the session of a browser's
 * load of something a page uses (see {@link ServletSessionAnswers#answerEnded}), and
 * otherwise leaves the cookie to the serializer. It decorates the serializer as a proxy
 * of its own class, so that the bean keeps its type ({@code DefaultCookieSerializer}
 * stays injectable).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionCookieSerializerInterceptor implements MethodInterceptor {

	private SessionCookieSerializerInterceptor() {
	}

	/**
	 * Decorate a cookie serializer, once.
	 * @param serializer the serializer
	 * @return a proxy of the serializer's class, or the serializer if it is decorated
	 * already
	 */
	public static Object decorate(Object serializer) {
		if (serializer instanceof Advised advised && Arrays.stream(advised.getAdvisors())
			.anyMatch((advisor) -> advisor.getAdvice() instanceof SessionCookieSerializerInterceptor)) {
			return serializer;
		}
		ProxyFactory factory = new ProxyFactory(serializer);
		factory.setProxyTargetClass(!Modifier.isFinal(serializer.getClass().getModifiers()));
		factory.addInterface(CookieSerializer.class);
		// Only the write is advised, and the proxy frozen, so that reading the cookie
		// on every request goes to the serializer directly
		NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(
				new SessionCookieSerializerInterceptor());
		advisor.setMappedName("writeCookieValue");
		factory.addAdvisor(advisor);
		factory.setFrozen(true);
		return factory.getProxy(serializer.getClass().getClassLoader());
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		if ("writeCookieValue".equals(invocation.getMethod().getName()) && invocation.getArguments().length == 1
				&& invocation.getArguments()[0] instanceof CookieValue cookieValue) {
			String value = cookieValue.getCookieValue();
			HttpServletRequest request = cookieValue.getRequest();
			if (value == null || value.isEmpty()) {
				if (request.getAttribute(ServletSessionAnswers.KEEP_COOKIE_ATTRIBUTE) != null) {
					// Spring Session's drop of the cookie of a session that ended in a
					// request for something a page uses: kept (see answerEnded)
					return null;
				}
			}
			else if (cookieValue.getCookieMaxAge() < 0
					&& request.getAttribute(ServletSessionClocks.COOKIE_MAX_AGE_ATTRIBUTE) instanceof Integer maxAge) {
				cookieValue.setCookieMaxAge(maxAge);
			}
		}
		return invocation.proceed();
	}

}
