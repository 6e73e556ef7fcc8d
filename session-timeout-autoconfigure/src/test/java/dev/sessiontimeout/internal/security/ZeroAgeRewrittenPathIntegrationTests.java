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

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MapStoreFormLoginConfiguration;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The servlet twin of the WebFlux ReactiveZeroAgePrivilegedGrantClaimIntegrationTests of
 * a rewritten path: a privileged path with a maximum age of zero whose request a filter
 * of the application rewrites to an ordinary path before Spring Security sees it is
 * served without spending the grant of the login, which stays for the privileged path.
 * Spring Session's map store.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = ZeroAgeRewrittenPathIntegrationTests.RewritingApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=0",
				"session-timeout.privileged.paths=/account/transfer,/account/moved",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class ZeroAgeRewrittenPathIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void aZeroAgePathThatAFilterRewritesToAnOrdinaryOneLeavesTheGrant() {
		Response moved = this.browser.get("/account/moved", TestBrowser.JSON);
		assertThat(moved.status()).as("%s", moved).isEqualTo(200);
		assertThat(moved.body()).contains("overview of user");
		Response transfer = this.browser.get("/account/transfer", TestBrowser.JSON);
		assertThat(transfer.status()).as("the grant is still there: %s", transfer).isEqualTo(200);
		assertThat(transfer.body()).contains("transfer of user");
		Response again = this.browser.get("/account/transfer", TestBrowser.JSON);
		assertThat(again.status()).as("the grant is used once: %s", again).isEqualTo(401);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(MapStoreFormLoginConfiguration.class)
	static class RewritingApplication {

		/**
		 * Rewrites {@code /account/moved} to {@code /account/overview}, after the
		 * starter's filter and ahead of Spring Security.
		 * @return the registration
		 */
		@Bean
		FilterRegistrationBean<MovingFilter> movingFilter() {
			FilterRegistrationBean<MovingFilter> registration = new FilterRegistrationBean<>(new MovingFilter());
			registration.setOrder(-1000);
			return registration;
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/account/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
			String transfer(Authentication authentication) {
				return "transfer of " + authentication.getName();
			}

			@GetMapping(path = "/account/overview", produces = MediaType.APPLICATION_JSON_VALUE)
			String overview(Authentication authentication) {
				return "overview of " + authentication.getName();
			}

		}

	}

	/**
	 * Rewrites {@code /account/moved} to {@code /account/overview}.
	 */
	static class MovingFilter extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			if (!"/account/moved".equals(request.getRequestURI().substring(request.getContextPath().length()))) {
				chain.doFilter(request, response);
				return;
			}
			HttpServletRequest moved = new HttpServletRequestWrapper(request) {

				@Override
				public String getRequestURI() {
					return request.getContextPath() + "/account/overview";
				}

				@Override
				public String getServletPath() {
					return "/account/overview";
				}

				@Override
				public StringBuffer getRequestURL() {
					StringBuffer url = request.getRequestURL();
					return new StringBuffer(url.substring(0, url.length() - "/account/moved".length()))
						.append("/account/overview");
				}

			};
			Object previous = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
			ServletRequestPathUtils.clearParsedRequestPath(moved);
			try {
				ServletRequestPathUtils.parseAndCache(moved);
				chain.doFilter(moved, response);
			}
			finally {
				moved.setAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE, previous);
			}
		}

	}

}
