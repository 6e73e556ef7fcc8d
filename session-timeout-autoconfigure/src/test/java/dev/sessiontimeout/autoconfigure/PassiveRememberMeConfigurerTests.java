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

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.authentication.RememberMeServices;
import org.springframework.security.web.authentication.rememberme.InMemoryTokenRepositoryImpl;
import org.springframework.security.web.authentication.rememberme.PersistentTokenBasedRememberMeServices;
import org.springframework.security.web.authentication.rememberme.TokenBasedRememberMeServices;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PassiveRememberMeConfigurer}: which remember-me services read only
 * their cookie (the filter hides it and dates a request with it), and which may read
 * their token themselves (the filter only dates, every request without a user).
 *
 * @author session-timeout
 */
class PassiveRememberMeConfigurerTests {

	private final InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();

	@Test
	void readsTokenThemselvesWhenSpringSecuritysOwnServicesThenFalse() {
		TokenBasedRememberMeServices tokenBased = new TokenBasedRememberMeServices("key", this.users);
		PersistentTokenBasedRememberMeServices persistent = new PersistentTokenBasedRememberMeServices("key",
				this.users, new InMemoryTokenRepositoryImpl());
		assertThat(PassiveRememberMeConfigurer.readsTokenThemselves(tokenBased)).isFalse();
		assertThat(PassiveRememberMeConfigurer.readsTokenThemselves(persistent)).isFalse();
		assertThat(PassiveRememberMeConfigurer.cookieName(tokenBased)).isEqualTo("remember-me");
	}

	@Test
	void readsTokenThemselvesWhenAnExtractRememberMeCookieOfTheirOwnThenTrue() {
		assertThat(PassiveRememberMeConfigurer.readsTokenThemselves(new ExtractingServices(this.users))).isTrue();
	}

	/**
	 * An {@code autoLogin} of their own may read a header, and one that only decorates
	 * Spring Security's cannot be told from it: both count as reading their token
	 * themselves, below a subclass of their own too.
	 */
	@Test
	void readsTokenThemselvesWhenAnAutoLoginOfTheirOwnThenTrue() {
		assertThat(PassiveRememberMeConfigurer.readsTokenThemselves(new DecoratingServices(this.users))).isTrue();
		assertThat(PassiveRememberMeConfigurer.readsTokenThemselves(new DecoratingServices(this.users) {
		})).isTrue();
	}

	/**
	 * A class-based (CGLIB) proxy declares every method, {@code autoLogin} among them: it
	 * counts as services that read their token themselves, without an exception, and its
	 * cookie is still read through it.
	 */
	@Test
	void readsTokenThemselvesWhenAClassBasedProxyThenTrue() {
		TokenBasedRememberMeServices target = new TokenBasedRememberMeServices("key", this.users);
		target.setCookieName("proxied-me");
		ProxyFactory factory = new ProxyFactory(target);
		factory.setProxyTargetClass(true);
		RememberMeServices proxy = (RememberMeServices) factory.getProxy();
		assertThat(proxy.getClass()).isNotEqualTo(TokenBasedRememberMeServices.class)
			.isAssignableTo(TokenBasedRememberMeServices.class);
		assertThat(PassiveRememberMeConfigurer.readsTokenThemselves(proxy)).isTrue();
		assertThat(PassiveRememberMeConfigurer.cookieName(proxy)).isEqualTo("proxied-me");
	}

	/**
	 * Services whose {@code getCookieName} throws (advice on a proxy, say) tell no
	 * cookie, as services of another type: the filter only dates their logins.
	 */
	@Test
	void cookieNameWhenGetCookieNameThrowsThenNone() {
		TokenBasedRememberMeServices failing = new TokenBasedRememberMeServices("key", this.users) {

			@Override
			protected String getCookieName() {
				throw new IllegalStateException("No cookie name outside a request");
			}

		};
		assertThat(PassiveRememberMeConfigurer.cookieName(failing)).isNull();
	}

	static class ExtractingServices extends TokenBasedRememberMeServices {

		ExtractingServices(InMemoryUserDetailsManager users) {
			super("key", users);
		}

		@Override
		protected @Nullable String extractRememberMeCookie(HttpServletRequest request) {
			String header = request.getHeader("X-Remember-Me");
			return (header != null) ? header : super.extractRememberMeCookie(request);
		}

	}

	static class DecoratingServices extends TokenBasedRememberMeServices {

		DecoratingServices(InMemoryUserDetailsManager users) {
			super("key", users);
		}

		@Override
		public @Nullable Authentication autoLogin(HttpServletRequest request, HttpServletResponse response) {
			return super.autoLogin(request, response);
		}

	}

}
