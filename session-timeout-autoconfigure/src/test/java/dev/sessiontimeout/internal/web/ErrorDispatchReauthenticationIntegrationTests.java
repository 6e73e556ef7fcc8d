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

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Once re-authentication is due, requests run as unauthenticated ones (README: "code that
 * reads the SecurityContext sees an anonymous user"). The error dispatch of such a
 * request (a public page that answers 404, rendered by the application's {@code /error}
 * controller) must see no user either, and so must its forwards, includes and
 * asynchronous dispatches, and their error dispatches. Re-authentication 45m, idle 30m,
 * Spring Session's map store.
 */
@SpringBootTest(
		classes = { ErrorDispatchReauthenticationIntegrationTests.ErrorPageApplication.class,
				ErrorDispatchReauthenticationIntegrationTests.MapStore.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.reauthentication=45m", "session-timeout.idle=30m",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration,"
						+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration,"
						+ "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
						+ "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration" })
class ErrorDispatchReauthenticationIntegrationTests extends AbstractLiveApplicationTests {

	@BeforeEach
	void signIn() {
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
		shiftBy(Duration.ofMinutes(25));
		// Before re-authentication is due the error page sees the user (the setup works)
		Response error = this.browser.get("/public/missing", TestBrowser.JSON);
		assertThat(error.status()).as("%s", error).isEqualTo(404);
		assertThat(error.body()).contains("error page of user");
		// So do the other dispatches
		assertThat(body("/public/forward", 200)).isEqualTo("hello user");
		assertThat(body("/public/include", 200)).isEqualTo("hello user");
		assertThat(body("/public/async", 200)).isEqualTo("async failure seen by user");
		assertThat(body("/public/forward-missing", 404)).contains("error page of user");
		assertThat(body("/public/async-missing", 404)).contains("error page of user");
		shiftBy(Duration.ofMinutes(20));
	}

	@Test
	void aPublicPageRunsWithoutTheUser() {
		Response page = this.browser.get("/public/hello", TestBrowser.JSON);
		assertThat(page.status()).as("%s", page).isEqualTo(200);
		assertThat(page.body()).contains("hello anonymous");
	}

	@Test
	void theErrorDispatchOfARequestRunWithoutTheUserSeesNoUserEither() {
		Response error = this.browser.get("/public/missing", TestBrowser.JSON);
		assertThat(error.body()).as("%s", error).doesNotContain("error page of user");
	}

	@Test
	void aForwardOfARequestRunWithoutTheUserSeesNoUserEither() {
		assertThat(body("/public/forward", 200)).isEqualTo("hello anonymousUser");
	}

	@Test
	void anIncludeOfARequestRunWithoutTheUserSeesNoUserEither() {
		assertThat(body("/public/include", 200)).isEqualTo("hello anonymousUser");
	}

	@Test
	void theAsynchronousDispatchOfARequestRunWithoutTheUserSeesNoUserEither() {
		assertThat(body("/public/async", 200)).isEqualTo("async failure seen by anonymousUser");
	}

	@Test
	void theErrorDispatchOfAForwardRunWithoutTheUserSeesNoUserEither() {
		assertThat(body("/public/forward-missing", 404)).contains("error page of anonymousUser");
	}

	@Test
	void theErrorDispatchOfAnAsynchronousDispatchRunWithoutTheUserSeesNoUserEither() {
		assertThat(body("/public/async-missing", 404)).contains("error page of anonymousUser");
	}

	@Test
	void theErrorDispatchOfARequestRunWithoutTheUserSeesTheAnonymousUser() {
		assertThat(body("/public/missing", 404)).contains("error page of anonymousUser");
	}

	private String body(String path, int status) {
		Response response = this.browser.get(path, TestBrowser.JSON);
		assertThat(response.status()).as("%s %s", path, response).isEqualTo(status);
		return response.body();
	}

	private void shiftBy(Duration duration) {
		this.clock.fixAt(this.clock.instant().plus(duration));
	}

	/**
	 * Spring Session's map store.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableSpringHttpSession
	static class MapStore {

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ErrorPageApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/public/**", "/error")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		@RestController
		static class Pages {

			@GetMapping("/public/hello")
			String hello() {
				return "hello " + name();
			}

			@GetMapping("/public/missing")
			String missing() {
				throw new ResponseStatusException(HttpStatus.NOT_FOUND);
			}

			@GetMapping("/public/forward")
			void forward(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/public/hello").forward(request, response);
			}

			@GetMapping("/public/forward-missing")
			void forwardMissing(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/public/missing").forward(request, response);
			}

			@GetMapping("/public/include")
			void include(HttpServletRequest request, HttpServletResponse response) throws Exception {
				request.getRequestDispatcher("/public/hello").include(request, response);
			}

			/**
			 * Fails in its asynchronous dispatch, where the exception handler reads the
			 * security context.
			 */
			@GetMapping("/public/async")
			DeferredResult<String> async() {
				DeferredResult<String> result = new DeferredResult<>();
				result.setErrorResult(new IllegalStateException("async"));
				return result;
			}

			@GetMapping("/public/async-missing")
			DeferredResult<String> asyncMissing() {
				DeferredResult<String> result = new DeferredResult<>();
				result.setErrorResult(new ResponseStatusException(HttpStatus.NOT_FOUND));
				return result;
			}

			@ExceptionHandler(IllegalStateException.class)
			String asyncFailure() {
				return "async failure seen by " + name();
			}

		}

		@RestController
		static class ErrorPage implements ErrorController {

			@RequestMapping("/error")
			String error() {
				return "error page of " + name();
			}

		}

		static String name() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			return (authentication != null && authentication.isAuthenticated()) ? authentication.getName() : "nobody";
		}

	}

}
