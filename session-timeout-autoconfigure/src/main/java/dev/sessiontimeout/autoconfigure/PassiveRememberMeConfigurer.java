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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.RememberMeConfigurer;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.rememberme.AbstractRememberMeServices;
import org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationFilter;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

import dev.sessiontimeout.internal.security.PassiveRememberMeFilter;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Puts a {@link PassiveRememberMeFilter} right before the
 * {@link RememberMeAuthenticationFilter} of a chain with {@code rememberMe()}: it hides
 * the remember-me cookie from a passive request without a user, and dates a remember-me
 * login from before its token check. A chain without remember-me gets no filter, so that
 * no other request pays for either. Where the remember-me services are no
 * {@link AbstractRememberMeServices}, or fail to tell their cookie's name, their cookie
 * is not known, and where they have an {@code extractRememberMeCookie} or
 * {@code autoLogin} of their own, they may read their token from elsewhere: the filter
 * then only dates (every request without a user, any of which they may sign in), and
 * hides nothing, which a warning says, as passive requests may be signed in. It runs at
 * {@code configure}, after every configurer's {@code init}, where
 * {@link RememberMeConfigurer} shares its {@link RememberMeServices}.
 *
 * @author session-timeout
 */
final class PassiveRememberMeConfigurer extends AbstractHttpConfigurer<PassiveRememberMeConfigurer, HttpSecurity> {

	private static final Log logger = LogFactory.getLog(PassiveRememberMeConfigurer.class);

	private final ServletSessionClocks clocks;

	PassiveRememberMeConfigurer(ServletSessionClocks clocks) {
		this.clocks = clocks;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void configure(HttpSecurity http) {
		RememberMeServices services = http.getSharedObject(RememberMeServices.class);
		if (services == null || http.getConfigurer(RememberMeConfigurer.class) == null) {
			return;
		}
		String cookieName = cookieName(services);
		if (cookieName == null) {
			// Added all the same, to date their logins: a revocation must not spare one
			logger.warn("The remember-me services " + services.getClass().getName()
					+ ((services instanceof AbstractRememberMeServices) ? ": their cookie name could not be read"
							: " are no AbstractRememberMeServices: their cookie is not known")
					+ ", so passive requests (session-timeout.activity.passive-paths) may be signed in by"
					+ " remember-me");
		}
		else if (readsTokenThemselves(services)) {
			// A login without the cookie: dated all the same, and nothing to hide
			cookieName = null;
			logger.warn("The remember-me services " + services.getClass().getName()
					+ " may read their token themselves (an extractRememberMeCookie or autoLogin of their"
					+ " own), not only from their cookie, so passive requests"
					+ " (session-timeout.activity.passive-paths) may be signed in by remember-me");
		}
		http.addFilterBefore(new PassiveRememberMeFilter(this.clocks, cookieName, getSecurityContextHolderStrategy()),
				RememberMeAuthenticationFilter.class);
	}

	/**
	 * Return whether remember-me services may read their token otherwise than Spring
	 * Security's {@link AbstractRememberMeServices} does, from its cookie: a subclass
	 * with an {@code extractRememberMeCookie} or an {@code autoLogin} of its own (a
	 * header of a mobile client, say). An {@code autoLogin} that only decorates Spring
	 * Security's, and reads the cookie through it, cannot be told from one that reads a
	 * header, so it counts as reading its token itself; so does a class-based proxy,
	 * which declares every method, and a class whose methods cannot be read.
	 */
	static boolean readsTokenThemselves(RememberMeServices services) {
		try {
			for (Class<?> type = services.getClass(); type != null
					&& type != AbstractRememberMeServices.class; type = type.getSuperclass()) {
				if (hasDeclared(type, "extractRememberMeCookie") || hasDeclared(type, "autoLogin")) {
					return true;
				}
			}
			return false;
		}
		catch (LinkageError | SecurityException ex) {
			// Not known what they read: only dating is safe
			return true;
		}
	}

	private static boolean hasDeclared(Class<?> type, String name) {
		for (Method method : type.getDeclaredMethods()) {
			if (method.getName().equals(name) && !method.isBridge() && !method.isSynthetic()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return the name of the cookie that the remember-me services read, which Spring
	 * Security's {@link AbstractRememberMeServices} tells its subclasses only; none if
	 * they fail to tell it (a {@code getCookieName} of their own that throws, or advice
	 * on a proxy of them), as for services of another type: the filter then only dates.
	 */
	static @Nullable String cookieName(RememberMeServices services) {
		if (!(services instanceof AbstractRememberMeServices)) {
			return null;
		}
		try {
			Method getCookieName = ReflectionUtils.findMethod(AbstractRememberMeServices.class, "getCookieName");
			if (getCookieName == null) {
				return null;
			}
			ReflectionUtils.makeAccessible(getCookieName);
			Object name = ReflectionUtils.invokeMethod(getCookieName, services);
			return (name instanceof String string && StringUtils.hasText(string)) ? string : null;
		}
		catch (RuntimeException ex) {
			// Not known which cookie they read: only dating is safe
			return null;
		}
	}

}
