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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import dev.sessiontimeout.internal.security.UncoveredRewrittenPathPrivilegedIntegrationTests.RewritingFilter;
import dev.sessiontimeout.testsupport.AbstractLiveApplicationTests;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An ordinary path that a filter of the application, in a registration's default order
 * (after Spring Security's chain and the starter's filter that follows it), rewrites to
 * an ignored privileged path served by a handler mapping that Spring MVC's
 * {@code InterceptorRegistry} does not reach: an actuator endpoint
 * ({@code WebMvcEndpointHandlerMapping}) or a handler of the application's own
 * {@link SimpleUrlHandlerMapping}. It is challenged once the privileged age passed, as
 * the same rewrite to a {@code @RestController} is, and before the application's first
 * interceptor of a {@code WebMvcConfigurer}. Spring Session's map store; privileged age
 * 15m.
 *
 * @author session-timeout
 */
@SpringBootTest(classes = LateRewrittenPathOutsideWebMvcConfigurationIntegrationTests.OutsideApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "session-timeout.absolute=4h", "session-timeout.idle=30m",
				"session-timeout.privileged.max-age=15m",
				"session-timeout.privileged.paths=/actuator/transfer,/open/own,/open/page",
				"management.endpoints.web.exposure.include=transfer",
				AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY })
class LateRewrittenPathOutsideWebMvcConfigurationIntegrationTests extends AbstractLiveApplicationTests {

	@Autowired
	private CountingInterceptor applicationInterceptor;

	@BeforeEach
	void signIn() {
		this.applicationInterceptor.calls.set(0);
		assertThat(this.browser.login("user", "password").status()).isEqualTo(302);
	}

	@Test
	void theIgnoredPrivilegedPathsThemselvesAreChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/actuator/transfer");
		assertChallenged("/open/own");
		assertChallenged("/open/page");
	}

	@Test
	void anOrdinaryPathRewrittenLateToAnActuatorEndpointIsChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/alias/actuator");
	}

	@Test
	void anOrdinaryPathRewrittenLateToAHandlerOfTheApplicationsOwnMappingIsChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/alias/own");
	}

	@Test
	void anOrdinaryPathRewrittenLateToARestControllerIsChallenged() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/alias/page");
	}

	@Test
	void aRewrittenPathIsJudgedBeforeTheApplicationsFirstInterceptor() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(20)));
		assertChallenged("/alias/page");
		assertThat(this.applicationInterceptor.calls).hasValue(0);
		this.clock.fixAt(this.clock.instant().minus(Duration.ofMinutes(10)));
		assertServed("/alias/page", "served: page");
		assertThat(this.applicationInterceptor.calls).hasValue(1);
	}

	@Test
	void rewrittenPathsAreServedJustBeforeThePrivilegedAge() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)).minusSeconds(1));
		assertServed("/alias/actuator", "served: actuator");
		assertServed("/alias/own", "served: own");
		assertServed("/alias/page", "served: page");
	}

	@Test
	void rewrittenPathsAreChallengedAtThePrivilegedAge() {
		this.clock.fixAt(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertChallenged("/alias/actuator");
		assertChallenged("/alias/own");
		assertChallenged("/alias/page");
	}

	private void assertServed(String path, String content) {
		Response served = this.browser.get(path, TestBrowser.JSON);
		assertThat(served.status()).as("%s", served).isEqualTo(200);
		assertThat(served.body()).contains(content);
	}

	private void assertChallenged(String path) {
		Response challenged = this.browser.get(path, TestBrowser.JSON);
		assertThat(challenged.status()).as("%s", challenged).isEqualTo(401);
		assertThat(challenged.body()).contains("\"reason\":\"privileged\"").doesNotContain("served");
	}

	/**
	 * The application: one security filter chain of form login, {@code /actuator/**} and
	 * {@code /open/**} ignored, an actuator endpoint, a handler mapping of its own, and a
	 * filter in the default order that rewrites the {@code /alias/*} paths.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	static class OutsideApplication {

		@Bean
		MutableClock sessionTimeoutClock() {
			return new MutableClock();
		}

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(User.withUsername("user").password("{noop}password").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			http.formLogin(Customizer.withDefaults());
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		WebSecurityCustomizer ignoredPaths() {
			return (web) -> web.ignoring().requestMatchers("/actuator/**", "/open/**");
		}

		@Bean
		TransferEndpoint transferEndpoint() {
			return new TransferEndpoint();
		}

		/**
		 * A handler mapping of the application's own, ahead of Spring MVC's.
		 * @return the handler mapping
		 */
		@Bean
		SimpleUrlHandlerMapping ownHandlerMapping() {
			HttpRequestHandler own = (request, response) -> {
				response.setContentType(MediaType.APPLICATION_JSON_VALUE);
				response.getOutputStream().write("\"served: own\"".getBytes(StandardCharsets.UTF_8));
			};
			return new SimpleUrlHandlerMapping(Map.of("/open/own", own), 0);
		}

		/**
		 * Rewrites the {@code /alias/*} paths, in the default order of a registration.
		 * @return the registration
		 */
		@Bean
		FilterRegistrationBean<RewritingFilter> rewritingFilter() {
			return new FilterRegistrationBean<>(new RewritingFilter(Map.of("/alias/actuator", "/actuator/transfer",
					"/alias/own", "/open/own", "/alias/page", "/open/page")));
		}

		@Bean
		CountingInterceptor applicationInterceptor() {
			return new CountingInterceptor();
		}

		/**
		 * The application's interceptor of {@code /open/page}, first of the registry's.
		 * @param interceptor the interceptor
		 * @return the configurer
		 */
		@Bean
		WebMvcConfigurer applicationInterceptors(CountingInterceptor interceptor) {
			return new WebMvcConfigurer() {

				@Override
				public void addInterceptors(InterceptorRegistry registry) {
					registry.addInterceptor(interceptor)
						.addPathPatterns("/open/page")
						.order(Ordered.HIGHEST_PRECEDENCE);
				}

			};
		}

		@RestController
		static class Pages {

			@GetMapping(path = "/open/page", produces = MediaType.APPLICATION_JSON_VALUE)
			String page() {
				return "served: page";
			}

		}

	}

	/**
	 * Counts the requests it lets through.
	 */
	static class CountingInterceptor implements HandlerInterceptor {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
			this.calls.incrementAndGet();
			return true;
		}

	}

	/**
	 * An actuator endpoint at {@code /actuator/transfer}.
	 */
	@Endpoint(id = "transfer")
	static class TransferEndpoint {

		@ReadOperation
		Map<String, String> transfer() {
			return Map.of("result", "served: actuator");
		}

	}

}
