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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequiresPrivilegedSession} on types, interfaces and classes, behind JDK and
 * class proxies; a maximum age of zero; remember-me authentications with their own
 * policy; and the per-session {@link SessionPolicyOverride}, on Spring Session's map
 * store. Absolute 2h (limit 8h), idle 30m, privileged age 15m; remember-me sessions 6h
 * and 2h.
 */
@SpringBootTest(classes = PrivilegedSessionIntegrationTests.PrivilegedApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.aop.proxy-target-class=false", AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY,
				"session-timeout.absolute=2h", "session-timeout.idle=30m", "session-timeout.limits.absolute=8h",
				"session-timeout.privileged.paths=/unsecured/privileged", "session-timeout.policies[0].name=remembered",
				"session-timeout.policies[0].remember-me=true", "session-timeout.policies[0].absolute=6h",
				"session-timeout.policies[0].idle=2h", "session-timeout.policies[0].privileged-max-age=-1" })
class PrivilegedSessionIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	private static final Duration MILLI = Duration.ofMillis(1);

	private static final Duration PRIVILEGED = Duration.ofMinutes(15);

	@Autowired
	AccountOperations accounts;

	@Autowired
	Payouts payouts;

	@Test
	void anInterfaceMethodAnnotationIsHonouredThroughAJdkProxy() {
		assertThat(AopUtils.isJdkDynamicProxy(this.accounts)).isTrue();
		login(this.browser);
		this.clock.fixAt(this.start.plus(PRIVILEGED).minus(MILLI));
		assertServed(this.browser.get("/api/close", TestBrowser.JSON), "closed");
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON), PRIVILEGED);
	}

	@Test
	void anInterfaceMethodAnnotationIsHonouredThroughAClassProxy() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(PrivilegedApplication.class)
			.properties(MAP_STORE_ONLY)
			.properties("server.port=0", "spring.aop.proxy-target-class=true", "session-timeout.absolute=2h",
					"session-timeout.idle=30m")
			.run()) {
			assertThat(AopUtils.isCglibProxy(context.getBean(AccountOperations.class))).isTrue();
			MutableClock clock = context.getBean(MutableClock.class);
			clock.fixAt(this.start);
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) context).getWebServer().getPort());
			login(browser);
			clock.fixAt(this.start.plus(PRIVILEGED).minus(MILLI));
			assertServed(browser.get("/api/close", TestBrowser.JSON), "closed");
			clock.fixAt(this.start.plus(PRIVILEGED));
			assertChallenged(browser.get("/api/close", TestBrowser.JSON), PRIVILEGED);
		}
	}

	@Test
	void aPrivilegedMethodCalledOutsideSpringMvcStillStepsUpInsteadOfAnswering403() {
		login(this.browser);
		this.clock.fixAt(this.start.plus(PRIVILEGED).minus(MILLI));
		Response fresh = this.browser.get("/servlet/close", TestBrowser.JSON);
		assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
		assertThat(fresh.body()).isEqualTo("closed");
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/servlet/close", TestBrowser.JSON), PRIVILEGED);
		Response page = this.browser.get("/servlet/close", TestBrowser.HTML);
		assertThat(page.status()).as("%s", page).isEqualTo(302);
		assertThat(page.location()).endsWith("/login?expired=privileged");
		assertThat(login(this.browser).location()).contains("/servlet/close?continue");
		assertThat(this.browser.get("/servlet/close?continue", TestBrowser.HTML).body()).isEqualTo("closed");
	}

	@Test
	void aLoginThatRecordedNoAuthenticationTimeIsNeverPrivileged() {
		Response signUp = this.browser.post("/sign-up", Map.of(), TestBrowser.JSON);
		assertThat(signUp.status()).as("%s", signUp).isEqualTo(200);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("newcomer");
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON), PRIVILEGED);
		assertChallenged(this.browser.get("/unsecured/privileged", TestBrowser.JSON), PRIVILEGED);
	}

	@Test
	void anotherUserThatTheApplicationSignsIntoASignedInSessionInheritsNoneOfThePreviousUsersAuthentication() {
		login(this.browser);
		Response signUp = this.browser.post("/sign-up", Map.of(), TestBrowser.JSON);
		assertThat(signUp.status()).as("%s", signUp).isEqualTo(200);
		assertThat(this.browser.get("/api/me", TestBrowser.JSON).body()).contains("newcomer");
		assertThat(status(this.browser).body()).contains("\"principal\":\"newcomer\"")
			.as("the previous user's privileged deadline")
			.doesNotContain(this.start.plus(PRIVILEGED).toString());
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON), PRIVILEGED);
		assertChallenged(this.browser.get("/unsecured/privileged", TestBrowser.JSON), PRIVILEGED);
	}

	/**
	 * Another user that the application signs into a signed-in session inherits none of
	 * the previous user's authentication in the very request that signs it in either: the
	 * session's clocks still date the previous user's login, which must not make the new
	 * user privileged (it did: the decision reads the session's timeline without asking
	 * whose login it dates).
	 */
	@Test
	void anotherUserThatTheApplicationSignsIntoASignedInSessionIsNotPrivilegedInTheSameRequest() {
		login(this.browser);
		assertChallenged(this.browser.post("/sign-up-and-close", Map.of(), TestBrowser.JSON), PRIVILEGED);
	}

	@Test
	void anotherUsersLoginThatTheSessionDoesNotHoldChangesNothing() {
		login(this.browser);
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON), PRIVILEGED);
		Response stateless = this.browser.post("/api/stateless-login", Map.of(), TestBrowser.JSON);
		assertThat(stateless.status()).as("%s", stateless).isEqualTo(200);
		assertChallenged(this.browser.get("/api/close", TestBrowser.JSON), PRIVILEGED);
		assertThat(jsonString(status(this.browser), "privilegedUntil"))
			.isEqualTo(this.start.plus(PRIVILEGED).toString());
	}

	@Test
	void aPrivilegedPathOutsideEverySecurityFilterChainIsChallengedAtOnce() {
		login(this.browser);
		this.clock.fixAt(this.start.plus(PRIVILEGED).minus(MILLI));
		assertThat(this.browser.get("/unsecured/privileged", TestBrowser.JSON).body()).isEqualTo("privileged");
		this.clock.fixAt(this.start.plus(PRIVILEGED));
		assertChallenged(this.browser.get("/unsecured/privileged", TestBrowser.JSON), PRIVILEGED);
		assertThat(this.browser.get("/unsecured/privileged", TestBrowser.HTML).location())
			.endsWith("/login?expired=privileged");
	}

	@Test
	void aMaxAgeOfZeroServesEveryCheckOfOneRequest() {
		login(this.browser);
		assertServed(this.browser.get("/api/export/twice", TestBrowser.JSON), "exported exported");
		assertChallenged(this.browser.get("/api/export", TestBrowser.JSON), Duration.ZERO);
	}

	@Test
	void theMaxAgeOfATypeAnnotationBelongsToEachSubclass() {
		login(this.browser);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(2)));
		assertServed(this.browser.get("/api/report/yearly", TestBrowser.JSON), "report");
		assertChallenged(this.browser.get("/api/report/daily", TestBrowser.JSON), Duration.ofMinutes(1));
		assertServed(this.browser.get("/api/report/yearly", TestBrowser.JSON), "report");
	}

	@Test
	void aTypeAnnotationMakesEveryMethodOfAClassProxyPrivilegedWithItsMaxAge() {
		assertThat(AopUtils.isCglibProxy(this.payouts)).isTrue();
		login(this.browser);
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)).minus(MILLI));
		assertServed(this.browser.get("/api/payout", TestBrowser.JSON), "paid");
		assertServed(this.browser.get("/api/payout/fee", TestBrowser.JSON), "fee 1");
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(1)));
		assertChallenged(this.browser.get("/api/payout", TestBrowser.JSON), Duration.ofMinutes(1));
		assertChallenged(this.browser.get("/api/payout/fee", TestBrowser.JSON), Duration.ofMinutes(1));
		assertServed(this.browser.get("/api/payout/describe", TestBrowser.JSON), "payouts");
	}

	@Test
	void aMaxAgeOfZeroAllowsOneOperationPerAuthentication() {
		login(this.browser);
		assertServed(this.browser.get("/api/export", TestBrowser.JSON), "exported");
		assertChallenged(this.browser.get("/api/export", TestBrowser.JSON), Duration.ZERO);
		login(this.browser);
		assertServed(this.browser.get("/api/export", TestBrowser.JSON), "exported");
		assertChallenged(this.browser.get("/api/export", TestBrowser.JSON), Duration.ZERO);
	}

	@Test
	void aRememberedUserGetsTheRememberMePolicyAndMustStepUpForPrivilegedOperations() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		form.put("remember-me", "on");
		assertThat(this.browser.post("/login", form, TestBrowser.HTML).location()).doesNotContain("error");
		assertThat(jsonString(status(this.browser), "policy")).isEqualTo("default");
		String rememberMe = this.browser.cookie("remember-me");
		assertThat(rememberMe).isNotNull();
		TestBrowser reopened = new TestBrowser(this.port);
		reopened.setCookie("remember-me", rememberMe);
		Instant reopenedAt = this.start.plus(Duration.ofMinutes(1));
		this.clock.fixAt(reopenedAt);
		assertServed(reopened.get("/api/me", TestBrowser.JSON), "user");
		Response status = status(reopened);
		assertThat(jsonString(status, "policy")).isEqualTo("remembered");
		assertThat(Instant.parse(jsonString(status, "absoluteExpiresAt")))
			.isEqualTo(reopenedAt.plus(Duration.ofHours(6)));
		assertThat(Instant.parse(jsonString(status, "idleExpiresAt"))).isEqualTo(reopenedAt.plus(Duration.ofHours(2)));
		assertChallenged(reopened.get("/api/close", TestBrowser.JSON), Duration.ZERO);
		assertThat(reopened.get("/unsecured/privileged", TestBrowser.HTML).location())
			.endsWith("/login?expired=privileged");
		login(reopened);
		assertServed(reopened.get("/api/close", TestBrowser.JSON), "closed");
		assertThat(jsonString(status(reopened), "policy")).isEqualTo("default");
	}

	@Test
	void theOverrideShortensASessionAndCannotLengthenItPastTheLimit() {
		assertThat(this.browser.post("/login", credentials(), TestBrowser.HTML, "X-Device", "unknown").location())
			.doesNotContain("error");
		Response status = status(this.browser);
		assertThat(jsonString(status, "policy")).isEqualTo("unknown-device");
		assertThat(Instant.parse(jsonString(status, "absoluteExpiresAt")))
			.isEqualTo(this.start.plus(Duration.ofMinutes(20)));
		assertThat(Instant.parse(jsonString(status, "idleExpiresAt")))
			.isEqualTo(this.start.plus(Duration.ofMinutes(20)));
		this.clock.fixAt(this.start.plus(Duration.ofMinutes(20)));
		Response ended = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(ended.status()).isEqualTo(401);
		assertThat(jsonString(ended, "reason")).isEqualTo("absolute");
		TestBrowser trusted = new TestBrowser(this.port);
		this.clock.fixAt(this.start);
		assertThat(trusted.post("/login", credentials(), TestBrowser.HTML, "X-Device", "trusted").location())
			.doesNotContain("error");
		status = status(trusted);
		assertThat(jsonString(status, "policy")).isEqualTo("trusted-device");
		assertThat(Instant.parse(jsonString(status, "absoluteExpiresAt"))).as("30 days asked, limited to 8 hours")
			.isEqualTo(this.start.plus(Duration.ofHours(8)));
	}

	@Test
	void anOverrideThatFailsFailsTheLoginAndLeavesItsSessionSignedOut() {
		Response login = this.browser.post("/login", credentials(), TestBrowser.HTML, "X-Device", "failing");
		assertThat(login.status()).as("%s", login).isEqualTo(500);
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status())
			.as("asked again without the login's device, the override keeps the configured"
					+ " policy, so the session must not be signed in: %s", me)
			.isEqualTo(302);
		assertThat(me.location()).endsWith("/login");
	}

	@Test
	void anOverrideThatFailsALoginAskingForRememberMeRemembersNothing() {
		Map<String, String> form = credentials();
		form.put("remember-me", "on");
		Response login = this.browser.post("/login", form, TestBrowser.HTML, "X-Device", "failing");
		assertThat(login.status()).as("%s", login).isEqualTo(500);
		assertThat(login.setCookies()).as("the failed login must not be remembered")
			.noneMatch((cookie) -> cookie.startsWith("remember-me=")
					&& !cookie.toLowerCase(Locale.ROOT).contains("max-age=0"));
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("neither the session nor a remember-me cookie may sign the failed login in: %s", me)
			.isEqualTo(302);
		assertThat(me.location()).endsWith("/login");
	}

	@Test
	void anOverrideThatNamesItsPolicyWithALineBreakFailsTheLoginInsteadOfSigningIn() {
		Response login = this.browser.post("/login", credentials(), TestBrowser.HTML, "X-Device", "named",
				"X-Device-Name", "unknown-device%0D%0A2026-12-05+INFO+forged");
		assertThat(login.status()).as("%s", login).isEqualTo(500);
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("the login's session is not signed in: %s", me).isEqualTo(302);
		assertThat(me.location()).endsWith("/login");
	}

	@Test
	void anOverrideThatReturnsNoPolicyFailsTheLoginInsteadOfKeepingTheConfiguredOne() {
		Response login = this.browser.post("/login", credentials(), TestBrowser.HTML, "X-Device", "unanswered");
		assertThat(login.status()).as("%s", login).isEqualTo(500);
		Response me = this.browser.get("/api/me", TestBrowser.JSON);
		assertThat(me.status()).as("the login's session is not signed in: %s", me).isEqualTo(302);
		assertThat(me.location()).endsWith("/login");
	}

	private static Map<String, String> credentials() {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("username", "user");
		form.put("password", "password");
		return form;
	}

	private static Response login(TestBrowser browser) {
		Response login = browser.login("user", "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
		return login;
	}

	private static Response status(TestBrowser browser) {
		Response status = browser.get("/session/status", TestBrowser.JSON);
		assertThat(status.status()).as("%s", status).isEqualTo(200);
		return status;
	}

	private static void assertServed(Response response, String result) {
		assertThat(response.status()).as("%s", response).isEqualTo(200);
		assertThat(jsonString(response, "result")).isEqualTo(result);
	}

	private static void assertChallenged(Response response, Duration maxAge) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(jsonString(response, "reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer error=\"insufficient_user_authentication\","
				+ " error_description=\"This operation requires a more recent authentication.\", max_age="
				+ maxAge.toSeconds());
	}

	private static String jsonString(Response response, String member) {
		return response.jsonString(member);
	}

	/**
	 * Account operations, privileged on the interface.
	 */
	interface AccountOperations {

		@RequiresPrivilegedSession
		String close();

	}

	static class DefaultAccountOperations implements AccountOperations {

		@Override
		public String close() {
			return "closed";
		}

	}

	/**
	 * Payouts, every method privileged for a minute.
	 */
	@RequiresPrivilegedSession(maxAge = "1m")
	static class Payouts {

		public String payout() {
			return "paid";
		}

		public String fee(int amount) {
			return "fee " + amount;
		}

		@Override
		public String toString() {
			return "payouts";
		}

	}

	/**
	 * A report, privileged as its subclasses say.
	 */
	static class Report {

		public String run() {
			return "report";
		}

	}

	@RequiresPrivilegedSession(maxAge = "1m")
	static class DailyReport extends Report {

	}

	@RequiresPrivilegedSession(maxAge = "1h")
	static class YearlyReport extends Report {

	}

	/**
	 * Exports, one per authentication.
	 */
	static class Exports {

		@RequiresPrivilegedSession(maxAge = "0")
		public String export() {
			return "exported";
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class PrivilegedApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, InMemoryUserDetailsManager users) throws Exception {
			http.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/login", "/error", "/session/status", "/sign-up")
						.permitAll()
						.anyRequest()
						.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.rememberMe((rememberMe) -> rememberMe.key("session-timeout-test").userDetailsService(users));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@Bean
		AccountOperations accountOperations() {
			return new DefaultAccountOperations();
		}

		@Bean
		Payouts payouts() {
			return new Payouts();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		DailyReport dailyReport() {
			return new DailyReport();
		}

		@Bean
		YearlyReport yearlyReport() {
			return new YearlyReport();
		}

		@Bean
		WebSecurityCustomizer unsecuredPaths() {
			return (web) -> web.ignoring().requestMatchers("/unsecured/**");
		}

		@Bean
		ServletRegistrationBean<HttpServlet> closingServlet(AccountOperations accounts) {
			return new ServletRegistrationBean<>(new HttpServlet() {

				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					String result = accounts.close();
					response.setContentType("text/plain");
					response.getWriter().write(result);
				}

			}, "/servlet/close");
		}

		@Bean
		SessionPolicyOverride devicePolicy() {
			return (policy, authentication, request) -> {
				String device = request.getHeader("X-Device");
				if ("unknown".equals(device)) {
					return policy.withName("unknown-device")
						.withAbsolute(Duration.ofMinutes(20))
						.withIdle(Duration.ofMinutes(20));
				}
				if ("failing".equals(device)) {
					throw new IllegalStateException("The device registry does not answer");
				}
				if ("named".equals(device)) {
					return policy
						.withName(URLDecoder.decode(request.getHeader("X-Device-Name"), StandardCharsets.UTF_8))
						.withAbsolute(Duration.ofMinutes(20));
				}
				if ("trusted".equals(device)) {
					return policy.withName("trusted-device").withAbsolute(Duration.ofDays(30));
				}
				if ("unanswered".equals(device)) {
					// A registry lookup that found nothing, passed on as it is
					return null;
				}
				return policy;
			};
		}

		@RestController
		static class OperationsController {

			private final AccountOperations accounts;

			private final Payouts payouts;

			private final Exports exports;

			private final DailyReport daily;

			private final YearlyReport yearly;

			private final ApplicationEventPublisher events;

			OperationsController(AccountOperations accounts, Payouts payouts, Exports exports, DailyReport daily,
					YearlyReport yearly, ApplicationEventPublisher events) {
				this.accounts = accounts;
				this.payouts = payouts;
				this.exports = exports;
				this.daily = daily;
				this.yearly = yearly;
				this.events = events;
			}

			@PostMapping(path = "/sign-up", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> signUp(HttpServletRequest request, HttpServletResponse response) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("newcomer", null,
						AuthorityUtils.createAuthorityList("ROLE_USER")));
				SecurityContextHolder.setContext(context);
				new HttpSessionSecurityContextRepository().saveContext(context, request, response);
				return Map.of("result", "newcomer");
			}

			@PostMapping(path = "/sign-up-and-close", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> signUpAndClose(HttpServletRequest request, HttpServletResponse response) {
				signUp(request, response);
				return Map.of("result", this.accounts.close());
			}

			@PostMapping(path = "/api/stateless-login", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> statelessLogin() {
				this.events.publishEvent(new InteractiveAuthenticationSuccessEvent(UsernamePasswordAuthenticationToken
					.authenticated("other", null, AuthorityUtils.createAuthorityList("ROLE_USER")), getClass()));
				return Map.of("result", "other");
			}

			@GetMapping(path = "/unsecured/privileged", produces = MediaType.APPLICATION_JSON_VALUE)
			String unsecuredPrivileged() {
				return "privileged";
			}

			@GetMapping(path = "/api/export/twice", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> exportTwice() {
				return Map.of("result", this.exports.export() + " " + this.exports.export());
			}

			@GetMapping(path = "/api/report/daily", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> dailyReport() {
				return Map.of("result", this.daily.run());
			}

			@GetMapping(path = "/api/report/yearly", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> yearlyReport() {
				return Map.of("result", this.yearly.run());
			}

			@GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> me(Authentication authentication) {
				return Map.of("result", authentication.getName());
			}

			@GetMapping(path = "/api/close", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> close() {
				return Map.of("result", this.accounts.close());
			}

			@GetMapping(path = "/api/payout", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> payout() {
				return Map.of("result", this.payouts.payout());
			}

			@GetMapping(path = "/api/payout/fee", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> fee() {
				return Map.of("result", this.payouts.fee(1));
			}

			@GetMapping(path = "/api/payout/describe", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> describe() {
				return Map.of("result", this.payouts.toString());
			}

			@GetMapping(path = "/api/export", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> export() {
				return Map.of("result", this.exports.export());
			}

		}

	}

}
