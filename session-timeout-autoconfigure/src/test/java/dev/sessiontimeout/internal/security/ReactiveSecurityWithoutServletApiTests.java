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

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;

import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.SessionClocks;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application has no servlet API on its class path (Spring Boot's
 * {@code spring-boot-starter-webflux} brings none): the reactive view of a session's
 * authentication must work without it. This module's tests have it, so this test reads
 * the session in a class loader that hides {@code jakarta.servlet}.
 *
 * @author session-timeout
 */
class ReactiveSecurityWithoutServletApiTests {

	@Test
	void mayBePrivilegedWhenTheServletApiIsAbsentThenAFormLoginIsPrivileged() throws Exception {
		// Found by a fresh WebFlux application: GET /session/status of a signed-in
		// session failed with NoClassDefFoundError: jakarta/servlet/ServletException
		try (URLClassLoader withoutServletApi = new WithoutServletApiClassLoader()) {
			Class<?> type = withoutServletApi.loadClass(FormLoginMayBePrivileged.class.getName());
			@SuppressWarnings("unchecked")
			Supplier<Boolean> mayBePrivileged = (Supplier<Boolean>) type.getDeclaredConstructor().newInstance();
			assertThat(mayBePrivileged.get()).isTrue();
		}
	}

	/**
	 * Whether a session of a form login may be privileged, asked of the reactive view of
	 * its authentication, in the class loader that loaded this class.
	 */
	public static class FormLoginMayBePrivileged implements Supplier<Boolean> {

		@Override
		public Boolean get() {
			SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(),
					Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC), (event) -> {
					});
			ReactiveSecuritySessionAuthentication authentication = new ReactiveSecuritySessionAuthentication(clocks,
					List.of(), new WebSessionServerRequestCache(), true);
			return authentication.mayBePrivileged(new SecurityContextImpl(UsernamePasswordAuthenticationToken
				.authenticated("user", null, AuthorityUtils.createAuthorityList("ROLE_USER"))));
		}

	}

	/**
	 * Loads every class of the test class path itself, apart from the JDK's, and none of
	 * {@code jakarta.servlet}.
	 */
	private static final class WithoutServletApiClassLoader extends URLClassLoader {

		WithoutServletApiClassLoader() {
			super(classPath(), ClassLoader.getPlatformClassLoader());
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.startsWith("jakarta.servlet.")) {
				throw new ClassNotFoundException(name);
			}
			return super.loadClass(name, resolve);
		}

		private static URL[] classPath() {
			List<URL> urls = new ArrayList<>();
			for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
				try {
					urls.add(new File(entry).toURI().toURL());
				}
				catch (MalformedURLException ex) {
					throw new IllegalStateException(ex);
				}
			}
			return urls.toArray(URL[]::new);
		}

	}

}
