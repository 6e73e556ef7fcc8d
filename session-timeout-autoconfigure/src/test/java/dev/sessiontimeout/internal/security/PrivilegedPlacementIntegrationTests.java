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

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.annotation.AliasFor;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.testsupport.TestBrowser;
import dev.sessiontimeout.testsupport.TestBrowser.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Where {@link RequiresPrivilegedSession} may be placed: on a generic interface or
 * superclass method that a class implements for a concrete type (reached through a bridge
 * method), in a composed annotation (with and without an alias of {@code maxAge}), on a
 * package-private method; and on a bean that is created before the auto-proxy creator,
 * which fails startup rather than run unchecked (injected lazily, it is checked). Spring
 * Session's map store, class proxies.
 */
@SpringBootTest(classes = PrivilegedPlacementIntegrationTests.PlacementApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { AbstractMapStoreBrowserIntegrationTests.MAP_STORE_ONLY, "session-timeout.absolute=8h",
				"session-timeout.idle=2h", "session-timeout.privileged.max-age=15m" })
class PrivilegedPlacementIntegrationTests extends AbstractMapStoreBrowserIntegrationTests {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	@Test
	void aGenericInterfaceMethodIsPrivilegedInItsImplementationForAConcreteType() {
		assertPrivilegedForAMinute("/api/generic-interface");
	}

	@Test
	void aGenericSuperclassMethodIsPrivilegedInItsOverrideForAConcreteType() {
		assertPrivilegedForAMinute("/api/generic-superclass");
	}

	@Test
	void aComposedAnnotationWithAnAliasOfMaxAgeIsHonoured() {
		assertPrivilegedForAMinute("/api/composed-alias");
	}

	@Test
	void aComposedAnnotationAskingForAZeroAgeAllowsOneOperation() {
		login(this.browser);
		assertServed(this.browser.get("/api/composed-zero", TestBrowser.JSON));
		assertChallenged(this.browser.get("/api/composed-zero", TestBrowser.JSON), Duration.ZERO);
	}

	@Test
	void aPackagePrivateMethodOfAClassProxyIsPrivileged() {
		assertPrivilegedForAMinute("/api/package-private");
	}

	@Test
	void aPrivilegedBeanCreatedBeforeTheAutoProxyCreatorFailsStartupRatherThanRunUnchecked() {
		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(EarlyBeanApplication.class)
			.properties(MAP_STORE_ONLY, "server.port=0", "session-timeout.absolute=8h", "session-timeout.idle=2h",
					"session-timeout.privileged.max-age=15m")
			.run()
			.close());
		assertThat(failure).as("startup fails rather than let the unproxied privileged method run unchecked")
			.isNotNull();
		assertThat(messages(failure)).contains("@RequiresPrivilegedSession=" + Vault.class.getName() + ".open",
				"bean 'vault'", "was created before the auto-proxy creator",
				"inject it there lazily, with an ObjectProvider or @Lazy");
	}

	@Test
	void aPrivilegedBeanThatAPostProcessorInjectsLazilyIsChecked() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(EarlyBeanApplication.class)
			.properties(MAP_STORE_ONLY, "server.port=0", "session-timeout.absolute=8h", "session-timeout.idle=2h",
					"session-timeout.privileged.max-age=15m", "vault.auditor.lazy=true")
			.run()) {
			Vault vault = context.getBean(Vault.class);
			MutableClock clock = context.getBean(MutableClock.class);
			clock.fixAt(this.start);
			TestBrowser browser = new TestBrowser(((WebServerApplicationContext) context).getWebServer().getPort());
			login(browser);
			clock.fixAt(this.start.plus(Duration.ofMinutes(15)));
			assertChallenged(browser.get("/api/vault", TestBrowser.JSON), Duration.ofMinutes(15));
			assertThat(AopUtils.isAopProxy(vault)).isTrue();
		}
	}

	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private void assertPrivilegedForAMinute(String path) {
		login(this.browser);
		this.clock.fixAt(this.start.plus(MINUTE).minusMillis(1));
		assertServed(this.browser.get(path, TestBrowser.JSON));
		this.clock.fixAt(this.start.plus(MINUTE));
		assertChallenged(this.browser.get(path, TestBrowser.JSON), MINUTE);
	}

	private static void login(TestBrowser browser) {
		Response login = browser.login("user", "password");
		assertThat(login.status()).isEqualTo(302);
		assertThat(login.location()).doesNotContain("error");
	}

	private static void assertServed(Response response) {
		assertThat(response.status()).as("%s", response).isEqualTo(200);
		assertThat(response.jsonString("result")).isEqualTo("done");
	}

	private static void assertChallenged(Response response, Duration maxAge) {
		assertThat(response.status()).as("%s", response).isEqualTo(401);
		assertThat(response.jsonString("reason")).isEqualTo(ExpiryReason.PRIVILEGED.value());
		assertThat(response.header("WWW-Authenticate")).endsWith("max_age=" + maxAge.toSeconds());
	}

	interface Deleter<T> {

		@RequiresPrivilegedSession(maxAge = "1m")
		String delete(T id);

	}

	static class AccountDeleter implements Deleter<String> {

		@Override
		public String delete(String id) {
			return "done";
		}

	}

	abstract static class Wiper<T> {

		@RequiresPrivilegedSession(maxAge = "1m")
		public abstract String wipe(T what);

	}

	static class DiskWiper extends Wiper<Integer> {

		@Override
		public String wipe(Integer what) {
			return "done";
		}

	}

	@Target({ ElementType.METHOD, ElementType.TYPE })
	@Retention(RetentionPolicy.RUNTIME)
	@RequiresPrivilegedSession
	@interface Sensitive {

		@AliasFor(annotation = RequiresPrivilegedSession.class, attribute = "maxAge")
		String within() default "1m";

	}

	@Target(ElementType.METHOD)
	@Retention(RetentionPolicy.RUNTIME)
	@RequiresPrivilegedSession(maxAge = "0")
	@interface EveryTime {

	}

	@Sensitive
	static class Transfers {

		public String transfer() {
			return "done";
		}

	}

	static class Exports {

		@EveryTime
		public String export() {
			return "done";
		}

	}

	static class Notes {

		@RequiresPrivilegedSession(maxAge = "1m")
		String read() {
			return "done";
		}

	}

	static class Vault {

		@RequiresPrivilegedSession
		public String open() {
			return "done";
		}

	}

	/**
	 * An application's post-processor that needs a privileged bean: that bean is created
	 * before the auto-proxy creator is registered.
	 */
	static class VaultAuditor implements BeanPostProcessor, PriorityOrdered {

		VaultAuditor(Vault vault) {
		}

		@Override
		public int getOrder() {
			return 0;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class PlacementApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/session/status")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@Bean
		Deleter<String> accountDeleter() {
			return new AccountDeleter();
		}

		@Bean
		DiskWiper diskWiper() {
			return new DiskWiper();
		}

		@Bean
		Transfers transfers() {
			return new Transfers();
		}

		@Bean
		Exports exports() {
			return new Exports();
		}

		@Bean
		Notes notes() {
			return new Notes();
		}

		@RestController
		static class PlacementController {

			private final Deleter<String> deleter;

			private final Wiper<Integer> wiper;

			private final Transfers transfers;

			private final Exports exports;

			private final Notes notes;

			PlacementController(Deleter<String> deleter, Wiper<Integer> wiper, Transfers transfers, Exports exports,
					Notes notes) {
				this.deleter = deleter;
				this.wiper = wiper;
				this.transfers = transfers;
				this.exports = exports;
				this.notes = notes;
			}

			@GetMapping(path = "/api/generic-interface", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> genericInterface() {
				return Map.of("result", this.deleter.delete("42"));
			}

			@GetMapping(path = "/api/generic-superclass", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> genericSuperclass() {
				return Map.of("result", this.wiper.wipe(42));
			}

			@GetMapping(path = "/api/composed-alias", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> composedAlias() {
				return Map.of("result", this.transfers.transfer());
			}

			@GetMapping(path = "/api/composed-zero", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> composedZero() {
				return Map.of("result", this.exports.export());
			}

			@GetMapping(path = "/api/package-private", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> packagePrivate() {
				return Map.of("result", this.notes.read());
			}

		}

	}

	/**
	 * An application's post-processor that needs a privileged bean and asks for it
	 * lazily, as the failure report says to.
	 */
	static class LazyVaultAuditor implements BeanPostProcessor, PriorityOrdered {

		LazyVaultAuditor(ObjectProvider<Vault> vault) {
		}

		@Override
		public int getOrder() {
			return 0;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableSpringHttpSession
	@Import(MapStore.class)
	static class EarlyBeanApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/login", "/error", "/session/status")
				.permitAll()
				.anyRequest()
				.authenticated());
			http.formLogin((form) -> form.loginPage("/login"));
			http.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		InMemoryUserDetailsManager userDetailsService() {
			return new InMemoryUserDetailsManager(
					User.withUsername("user").password("{noop}password").roles("USER").build());
		}

		@Bean
		static Vault vault() {
			return new Vault();
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "vault.auditor.lazy", havingValue = false, matchIfMissing = true)
		static VaultAuditor vaultAuditor(Vault vault) {
			return new VaultAuditor(vault);
		}

		@Bean
		@ConditionalOnBooleanProperty(name = "vault.auditor.lazy")
		static LazyVaultAuditor lazyVaultAuditor(ObjectProvider<Vault> vault) {
			return new LazyVaultAuditor(vault);
		}

		@RestController
		static class VaultController {

			private final Vault vault;

			VaultController(Vault vault) {
				this.vault = vault;
			}

			@GetMapping(path = "/api/vault", produces = MediaType.APPLICATION_JSON_VALUE)
			Map<String, String> open() {
				return Map.of("result", this.vault.open());
			}

		}

	}

}
