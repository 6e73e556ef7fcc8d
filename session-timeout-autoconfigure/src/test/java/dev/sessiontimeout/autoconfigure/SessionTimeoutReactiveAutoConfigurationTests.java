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

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.session.InMemoryReactiveSessionRegistry;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.Session;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.reactive.InMemoryWebSessionUserSessionStore;
import dev.sessiontimeout.internal.reactive.ReactivePrivilegeGrants;
import dev.sessiontimeout.internal.reactive.ReactiveSessionAuthentication;
import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;
import dev.sessiontimeout.internal.security.LiveSessionsReactiveSessionRegistry;
import dev.sessiontimeout.internal.reactive.ReactiveUserSessionIndex;
import dev.sessiontimeout.internal.reactive.SessionTimeoutWebFilter;
import dev.sessiontimeout.internal.reactive.SpringSessionUserSessionStore;
import dev.sessiontimeout.internal.security.ReactiveSecuritySessionAuthentication;
import dev.sessiontimeout.internal.session.PrincipalLogFormat;
import dev.sessiontimeout.internal.session.PrivilegedOperations;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.testsupport.SpringSessionAccess;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.web.ServletSessionClocks;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SessionTimeoutReactiveAutoConfiguration}.
 *
 * @author session-timeout
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionTimeoutReactiveAutoConfigurationTests {

	private static final AutoConfigurations ALL = AutoConfigurations.of(SessionTimeoutAutoConfiguration.class,
			SessionTimeoutSecurityAutoConfiguration.class, SessionTimeoutOAuth2ClientAutoConfiguration.class,
			SessionTimeoutActuateAutoConfiguration.class, SessionTimeoutReactiveAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(ALL);

	@Test
	void reactiveApplicationWhenMisspeltPropertyThenWarnsThatItIsIgnored(CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withPropertyValues("session-timeout.idle=10m", "session-timeout.privileged.maxage=5m",
					"session-timeout.privileged.max-agee=5m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output)
					.contains("session-timeout.privileged.max-agee is no property of session-timeout and is ignored:"
							+ " did you mean session-timeout.privileged.max-age?")
					.doesNotContain("session-timeout.idle is no property")
					.doesNotContain("session-timeout.privileged.maxage is no property");
			});
	}

	@Test
	void statusRouteWhenSwitchedByAnyBooleanSpringBindsThenTheConditionAgreesWithTheProperties() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withPropertyValues("session-timeout.status.enabled=yes")
			.run((context) -> {
				assertThat(context.getBean(SessionTimeoutProperties.class).getStatus().isEnabled()).isTrue();
				assertThat(context).hasBean("sessionTimeoutStatusRoute");
			});
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withPropertyValues("session-timeout.status.enabled=off")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("sessionTimeoutStatusRoute"));
	}

	@Test
	void reactiveApplicationWhenStartedThenEnforcesTheClocksAndFindsUsersSessionsInWebFluxsOwnStore(
			CapturedOutput output) {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class)).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SessionTimeoutProperties.class)
				.hasSingleBean(SessionTimeoutSettings.class)
				.hasSingleBean(SessionClocks.class)
				.hasSingleBean(SessionTimeoutWebFilter.class)
				.hasSingleBean(ReactiveUserSessions.class)
				.hasSingleBean(InMemoryWebSessionUserSessionStore.class)
				.doesNotHaveBean(UserSessions.class)
				.doesNotHaveBean(SessionTimeoutFilter.class)
				.doesNotHaveBean(ServletSessionClocks.class);
			assertThat(warnings(output)).isEmpty();
		});
	}

	/**
	 * Spring Security finds the registry for concurrent-session control as the one bean
	 * of its type: the starter's decoration, which leaves out the sessions it ended, and
	 * which keeps the class declared, so that the application may inject it as such.
	 */
	@Test
	void reactiveApplicationWhenItDeclaresAReactiveSessionRegistryThenItCountsNoSessionTheStarterEnded() {
		InMemoryReactiveSessionRegistry registry = new InMemoryReactiveSessionRegistry();
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withBean("sessionRegistry", InMemoryReactiveSessionRegistry.class, () -> registry)
			.withUserConfiguration(ConcreteRegistryInjection.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReactiveSessionRegistry found = context.getBean("sessionRegistry", ReactiveSessionRegistry.class);
				assertThat(found).isInstanceOf(InMemoryReactiveSessionRegistry.class);
				assertThat(LiveSessionsReactiveSessionRegistry.isDecorated(found)).isTrue();
				assertThat(AopProxyUtils.getSingletonTarget(found)).isSameAs(registry);
				assertThat(context.getBean(ConcreteRegistryInjection.class).registry).isSameAs(found);
			});
	}

	/**
	 * Injects the registry as the class the application declared.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ConcreteRegistryInjection {

		final InMemoryReactiveSessionRegistry registry;

		ConcreteRegistryInjection(@Qualifier("sessionRegistry") InMemoryReactiveSessionRegistry registry) {
			this.registry = registry;
		}

	}

	/**
	 * An application's {@link ReactiveSessionRegistry} that also listens to events (as
	 * Spring Security's servlet {@code SessionRegistryImpl} does, here to forget the
	 * sessions Spring Session deletes) must still hear them once the starter decorates
	 * it: the decoration is to leave out the sessions the starter ended, not to take away
	 * what else the bean is. The wrapper implements {@link ReactiveSessionRegistry} only,
	 * so the context neither registers it as a listener nor delivers the event (red: the
	 * registry hears nothing, or the publication fails).
	 */
	@Test
	void reactiveApplicationWhenItsReactiveSessionRegistryListensToEventsThenItStillHearsThem() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class))
			.withUserConfiguration(ListeningRegistryConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReactiveSessionRegistry bean = context.getBean(ReactiveSessionRegistry.class);
				assertThat(LiveSessionsReactiveSessionRegistry.isDecorated(bean)).isTrue();
				ListeningRegistry registry = (ListeningRegistry) bean;
				context.publishEvent(new SessionDeletedEvent(this, new MapSession("deleted-session")));
				assertThat(registry.deleted()).as("the sessions the registry heard of as deleted")
					.containsExactly("deleted-session");
			});
	}

	@Test
	void reactiveApplicationWhenSpringSessionsMapRepositoryThenTheStarterKeepsAnIndexOfUsersSessionsInMemory(
			CapturedOutput output) {
		ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(new HashMap<>());
		this.contextRunner.withBean(ReactiveMapSessionRepository.class, () -> repository)
			.withBean(WebSessionManager.class, () -> springSessionManager(repository))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ReactiveUserSessions.class)
					.hasSingleBean(SpringSessionUserSessionStore.class);
				assertThat(context.getBean(ReactiveUserSessionIndex.class).isIndex()).isTrue();
				assertThat(warnings(output)).isEmpty();
			});
	}

	/**
	 * Without an absolute deadline an entry of the index in memory has no end: a login
	 * forgets its user's entries whose session the map repository no longer holds, as on
	 * servlet, so that they do not pile up one per login.
	 */
	@Test
	void reactiveUserSessionIndexWhenMapRepositoryThenALoginForgetsTheUsersEndedSessionsWithoutEnd() {
		ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(new HashMap<>());
		this.contextRunner.withBean(ReactiveMapSessionRepository.class, () -> repository)
			.withBean(WebSessionManager.class, () -> springSessionManager(repository))
			.run((context) -> {
				ReactiveUserSessionIndex index = context.getBean(ReactiveUserSessionIndex.class);
				MapSession live = repository.createSession().block();
				repository.save(live).block();
				Instant now = Instant.now();
				index.add("alice", "ended", null, now.minus(Duration.ofDays(2))).block();
				index.add("alice", live.getId(), null, now.minus(Duration.ofDays(1))).block();
				index.add("alice", "still-being-saved", null, now.minusSeconds(30)).block();
				index.add("alice", "this-login", null, now).block();
				assertThat(index.sessions("alice", now).block().keySet()).containsExactlyInAnyOrder(live.getId(),
						"still-being-saved", "this-login");
			});
	}

	@Test
	void reactiveApplicationWhenSpringSessionsRedisRepositoryThenRedisDecidesTheOneUseOfAGrantWithoutAWarning(
			CapturedOutput output) {
		ReactiveRedisSessionRepository repository = new ReactiveRedisSessionRepository(
				new ReactiveRedisTemplate<>(new LettuceConnectionFactory(),
						RedisSerializationContext.<String, Object>newSerializationContext(RedisSerializer.java())
							.key(RedisSerializer.string())
							.hashKey(RedisSerializer.string())
							.build()));
		this.contextRunner.withBean(ReactiveRedisSessionRepository.class, () -> repository)
			.withBean(WebSessionManager.class, () -> springSessionManager(repository))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(SpringSessionUserSessionStore.class)
					.getBean(ReactiveUserSessionIndex.class)
					.isInstanceOf(ReactiveRedisUserSessionIndex.class);
				assertThat(context.getBean(ReactivePrivilegeGrants.class))
					.isInstanceOf(ReactiveRedisPrivilegeGrants.class);
				assertThat(warnings(output)).isEmpty();
			});
	}

	@Test
	void reactiveApplicationWhenAnotherSpringSessionRepositoryThenWarnsThatEachNodeUsesAGrantOnce(
			CapturedOutput output) {
		SharedSessionRepository repository = new SharedSessionRepository();
		this.contextRunner.withBean(SharedSessionRepository.class, () -> repository)
			.withBean(WebSessionManager.class, () -> springSessionManager(repository))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ReactivePrivilegeGrants.class);
				assertThat(warnings(output)).singleElement()
					.asString()
					.endsWith(SessionTimeoutReactiveAutoConfiguration.WARNING
						.formatted(SharedSessionRepository.class.getName()));
			});
	}

	@Test
	void reactiveApplicationWhenASessionManagerOfItsOwnBesideASpringSessionRepositoryThenSessionsCannotBeFoundByUser() {
		this.contextRunner
			.withBean(ReactiveMapSessionRepository.class, () -> new ReactiveMapSessionRepository(new HashMap<>()))
			.withBean(WebSessionManager.class, () -> (exchange) -> Mono.empty())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ReactiveStoreUserSessions.class).unsupportedReason())
					.contains("does not keep its sessions in its ReactiveSessionRepository");
			});
	}

	/**
	 * An exchange that Spring Security runs for an anonymous user, though it carries a
	 * signed-in session (a path whose security chain does not load the session's security
	 * context): revokeOthers refuses, as on servlet, rather than revoke the sessions of a
	 * user named "anonymousUser", none, and report success.
	 */
	@Test
	void reactiveApplicationWhenTheExchangesUserIsAnonymousThenRevokeOthersRefuses() {
		ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(new HashMap<>());
		this.contextRunner.withBean(ReactiveMapSessionRepository.class, () -> repository)
			.withBean(WebSessionManager.class, () -> springSessionManager(repository))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MapSession session = signIn(context, "alice");
				MapSession elsewhere = signIn(context, "alice");
				Authentication anonymous = new AnonymousAuthenticationToken("key", "anonymousUser",
						AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
				ServerWebExchange exchange = exchangeOf(context, session, anonymous);
				assertThatIllegalStateException()
					.isThrownBy(() -> context.getBean(ReactiveStoreUserSessions.class)
						.revokeOthers(exchange)
						.contextWrite(ReactiveSecurityContextHolder.withAuthentication(anonymous))
						.block(Duration.ofSeconds(10)))
					.withMessageContaining("no signed-in user");
				assertThat(revokedAt(context, elsewhere)).isNull();
			});
	}

	/**
	 * An exchange whose principal tells another name than the name the sessions of its
	 * user are filed under (the security context's {@code Authentication.getName()},
	 * which Spring Session's principal index and the starter's own use), such as an
	 * application's exchange decorator: revokeOthers acts for the security context's
	 * user.
	 */
	@Test
	void reactiveApplicationWhenTheExchangesPrincipalTellsAnotherNameThenRevokeOthersActsForTheSecurityContextsUser() {
		ReactiveMapSessionRepository repository = new ReactiveMapSessionRepository(new HashMap<>());
		this.contextRunner.withBean(ReactiveMapSessionRepository.class, () -> repository)
			.withBean(WebSessionManager.class, () -> springSessionManager(repository))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MapSession current = signIn(context, "bob");
				MapSession elsewhere = signIn(context, "bob");
				Authentication bob = UsernamePasswordAuthenticationToken.authenticated("bob", null,
						AuthorityUtils.createAuthorityList("ROLE_USER"));
				ServerWebExchange exchange = exchangeOf(context, current, () -> "Bob Builder");
				assertThat(context.getBean(ReactiveStoreUserSessions.class)
					.revokeOthers(exchange)
					.contextWrite(ReactiveSecurityContextHolder.withAuthentication(bob))
					.block(Duration.ofSeconds(10))).isOne();
				assertThat(revokedAt(context, elsewhere)).isNotNull();
				assertThat(revokedAt(context, current)).isNull();
			});
	}

	@Test
	void reactiveApplicationWhenSessionsEndpointDisabledThenNoRoutesForIt() {
		this.contextRunner.withPropertyValues("session-timeout.sessions.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ReactiveUserSessions.class)
				.doesNotHaveBean("sessionTimeoutUserSessionsRoutes"));
	}

	@Test
	void reactiveApplicationWhenValuesClampedToLimitsThenWarnsOfTheClamp(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("session-timeout.absolute=2h", "session-timeout.limits.absolute=1h",
					"session-timeout.idle=30m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(SessionTimeoutSettings.class).getDefaultPolicy().absolute())
					.isEqualTo(Duration.ofHours(1));
				assertThat(warnings(output)).hasSize(1);
				assertThat(output).contains("is above its limit");
			});
	}

	@Test
	void reactiveApplicationWhenNoSpringSessionThenTheIdleDefaultIsWebFluxsOwnTimeout() {
		this.contextRunner.withPropertyValues("server.reactive.session.timeout=20m", "spring.session.timeout=40m")
			.run((context) -> assertThat(context.getBean(SessionTimeoutSettings.class).getDefaultPolicy().idle())
				.isEqualTo(Duration.ofMinutes(20)));
		this.contextRunner.withPropertyValues("server.reactive.session.timeout=20m", "spring.session.timeout=40m")
			.withBean(ReactiveMapSessionRepository.class, () -> new ReactiveMapSessionRepository(new HashMap<>()))
			.run((context) -> assertThat(context.getBean(SessionTimeoutSettings.class).getDefaultPolicy().idle())
				.isEqualTo(Duration.ofMinutes(40)));
	}

	@Test
	void reactiveApplicationWhenSessionTimeoutZeroThenStartupFailsNamingTheProperty() {
		FailureAnalysis webFlux = startupFailure("server.reactive.session.timeout=0");
		assertThat(webFlux.getDescription()).contains("Property: server.reactive.session.timeout", "Value: \"0\"",
				"Rule: WebFlux's session store ends a session whose timeout is 0 at once");
		FailureAnalysis springSession = startupFailure(this.contextRunner
			.withPropertyValues("server.reactive.session.timeout=20m", "spring.session.timeout=0")
			.withBean(ReactiveMapSessionRepository.class, () -> new ReactiveMapSessionRepository(new HashMap<>())));
		assertThat(springSession.getDescription()).contains("Property: spring.session.timeout", "Value: \"0\"",
				"Rule: Spring Session ends a session whose timeout is 0 at once");
		this.contextRunner.withPropertyValues("server.reactive.session.timeout=0", "session-timeout.idle=30m")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void reactiveApplicationWhenReauthenticationPoliciesAndPrivilegedPathsThenStartsAndAnswersChallengesInTheSecurityChain() {
		this.contextRunner
			.withPropertyValues("session-timeout.reauthentication=1h", "session-timeout.privileged.paths=/account/**",
					"session-timeout.policies[0].name=admins", "session-timeout.policies[0].authorities=ROLE_ADMIN",
					"session-timeout.policies[0].reauthentication=30m")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ReactiveSecuritySessionAuthentication.class)
					.hasBean("sessionTimeoutServerHttpSecurityCustomizer");
				assertThat(context.getBean(ReactiveSessionAuthentication.class).answersChallenges()).isTrue();
				assertThat(context.getBean(SessionTimeoutSettings.class).getPolicies()).hasSize(1);
			});
	}

	/**
	 * The startup check of the attribute that a chain keeps the security context under
	 * asks Spring Security's session repository only: a repository of the application's
	 * own (a store of its own, say) is never made to save anything at startup.
	 */
	@Test
	void reactiveApplicationWhenAChainHoldsARepositoryOfItsOwnThenTheStartupCheckNeverSavesThroughIt() {
		AtomicInteger saved = new AtomicInteger();
		ServerSecurityContextRepository own = new ServerSecurityContextRepository() {

			@Override
			public Mono<Void> save(ServerWebExchange exchange, @Nullable SecurityContext context) {
				saved.incrementAndGet();
				return Mono.empty();
			}

			@Override
			public Mono<SecurityContext> load(ServerWebExchange exchange) {
				return Mono.empty();
			}

		};
		this.contextRunner
			.withBean("ownChain", SecurityWebFilterChain.class,
					() -> ServerHttpSecurity.http()
						.securityContextRepository(own)
						.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
						.build())
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(saved).as("contexts saved through the application's own repository").hasValue(0);
			});
	}

	@Test
	void reactiveApplicationWhenAChainKeepsTheSecurityContextUnderAnAttributeOfItsOwnThenStartupFailsWithAReport() {
		WebSessionServerSecurityContextRepository repository = new WebSessionServerSecurityContextRepository();
		repository.setSpringSecurityContextAttrName("APP_SECURITY_CONTEXT");
		FailureAnalysis analysis = startupFailure(this.contextRunner.withBean("ownChain", SecurityWebFilterChain.class,
				() -> ServerHttpSecurity.http()
					.securityContextRepository(repository)
					.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
					.build()));
		assertThat(analysis.getDescription()).contains("Property: SecurityWebFilterChain", "Value: \"ownChain\"",
				"keeps the signed-in user in the session attribute 'APP_SECURITY_CONTEXT'");
		assertThat(analysis.getAction())
			.contains("keep the security context under Spring Security's default session attribute"
					+ " 'SPRING_SECURITY_CONTEXT'");
		this.contextRunner
			.withBean("ownChain", SecurityWebFilterChain.class,
					() -> ServerHttpSecurity.http()
						.securityContextRepository(new WebSessionServerSecurityContextRepository())
						.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
						.build())
			.run((context) -> assertThat(context).as("the default attribute").hasNotFailed());
	}

	@Test
	void reactiveApplicationWhenPrivilegedPathsAndAChainNotBuiltFromTheServerHttpSecurityBeanThenStartupFails() {
		FailureAnalysis analysis = startupFailure(
				this.contextRunner.withPropertyValues("session-timeout.privileged.paths=/account/**")
					.withBean("ownChain", SecurityWebFilterChain.class,
							() -> ServerHttpSecurity.http()
								.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
								.build()));
		assertThat(analysis.getDescription()).contains("Property: SecurityWebFilterChain", "Value: \"ownChain\"",
				"privileged paths (session-timeout.privileged.paths) would go unchecked");
		this.contextRunner
			.withBean("ownChain", SecurityWebFilterChain.class,
					() -> ServerHttpSecurity.http()
						.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
						.build())
			.run((context) -> assertThat(context).as("without privileged paths").hasNotFailed());
	}

	@Test
	void reactiveApplicationWhenTheExpiredUrlHasTheReasonInItsPathThenStartupFails() {
		assertThat(startupFailure("session-timeout.expired-url=/expired/{reason}").getDescription())
			.contains("Property: session-timeout.expired-url", "Value: \"/expired/{reason}\"");
	}

	@Test
	void reactiveApplicationWhenPrincipalsAreLoggedAsHashesThenTheClocksLogThemSo() {
		this.contextRunner.withPropertyValues("session-timeout.logging.principal=hash")
			.run((context) -> assertThat(context.getBean(SessionClocks.class)).extracting("principals.logFormat")
				.isEqualTo(PrincipalLogFormat.HASH));
	}

	@Test
	void reactiveApplicationWhenAServletPolicyOverrideThenStartupFailsRatherThanLeaveItUnapplied() {
		FailureAnalysis analysis = startupFailure(this.contextRunner.withBean("shorterForAdmins",
				SessionPolicyOverride.class, () -> (policy, authentication, request) -> policy));
		assertThat(analysis.getDescription()).contains("Property: SessionPolicyOverride", "Value: \"shorterForAdmins\"",
				"Rule: a SessionPolicyOverride is not applied on WebFlux: its parameter is a servlet request");
		assertThat(analysis.getAction()).contains("declare a dev.sessiontimeout.ReactiveSessionPolicyOverride instead");
	}

	@Test
	void reactiveApplicationWhenARoleHierarchyThenAPolicyForAnAuthorityClaimsTheAuthenticationsThatReachIt() {
		SecurityContext superAdministrator = new SecurityContextImpl(
				UsernamePasswordAuthenticationToken.authenticated("root", null, List.of(() -> "ROLE_SUPERADMIN")));
		ReactiveWebApplicationContextRunner runner = this.contextRunner.withPropertyValues(
				"session-timeout.policies[0].name=administrators", "session-timeout.policies[0].authorities=ROLE_ADMIN",
				"session-timeout.policies[0].idle=10m");
		runner.withBean(RoleHierarchy.class, () -> RoleHierarchyImpl.fromHierarchy("ROLE_SUPERADMIN > ROLE_ADMIN"))
			.run((context) -> assertThat(
					context.getBean(ReactiveSecuritySessionAuthentication.class).policyOf(superAdministrator))
				.extracting(SessionTimeoutPolicy::name)
				.isEqualTo("administrators"));
		runner.run((context) -> assertThat(
				context.getBean(ReactiveSecuritySessionAuthentication.class).policyOf(superAdministrator))
			.as("without a role hierarchy")
			.extracting(SessionTimeoutPolicy::name)
			.isEqualTo(SessionTimeoutPolicy.DEFAULT_NAME));
	}

	@Test
	void reactiveApplicationWhenReactivePolicyOverridesThenTheSessionAuthenticationAppliesThemInOrder() {
		this.contextRunner.withBean("second", NamingOverride.class, () -> new NamingOverride("second", 2))
			.withBean("first", NamingOverride.class, () -> new NamingOverride("first", 1))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ReactiveSecuritySessionAuthentication authentication = context
					.getBean(ReactiveSecuritySessionAuthentication.class);
				assertThat(authentication.adjustsPolicies()).isTrue();
				SecurityContext user = new SecurityContextImpl(
						UsernamePasswordAuthenticationToken.authenticated("alice", null, List.of()));
				SessionTimeoutPolicy policy = context.getBean(SessionTimeoutSettings.class).getDefaultPolicy();
				assertThat(authentication
					.adjust(user, policy, MockServerWebExchange.from(MockServerHttpRequest.get("/")), "hash")
					.block(Duration.ofSeconds(5))).extracting(SessionTimeoutPolicy::name)
					.isEqualTo("default-first-second");
			});
	}

	@Test
	void reactiveApplicationWhenAPrivilegedMethodThenStartupFailsRatherThanIgnoreIt() {
		assertThat(startupFailure(this.contextRunner.withBean(Transfers.class)).getDescription()).contains(
				"Method: " + Transfers.class.getName() + ".transfer", "Annotation: @RequiresPrivilegedSession",
				"Rule: a privileged operation on WebFlux must return a Publisher, such as a Mono or a Flux");
	}

	@Test
	void reactiveApplicationWhenSpringSecurityIsAbsentThenPrivilegedPathsAndMethodsFailStartup() {
		ReactiveWebApplicationContextRunner withoutSecurity = this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.security"));
		FailureAnalysis paths = startupFailure(
				withoutSecurity.withPropertyValues("session-timeout.privileged.paths=/account/**"));
		assertThat(paths.getDescription()).contains("Property: session-timeout.privileged.paths",
				"privileged paths need the time the user authenticated");
		assertThat(paths.getAction()).contains("add spring-boot-starter-security");
		FailureAnalysis methods = startupFailure(withoutSecurity.withBean(Transfers.class));
		assertThat(methods.getDescription()).contains("Method: " + Transfers.class.getName() + ".transfer",
				"Annotation: @RequiresPrivilegedSession",
				"Rule: privileged operations are checked on WebFlux by Spring Security's reactive method security,"
						+ " which is not on the classpath");
		withoutSecurity.run((context) -> assertThat(context).as("without privileged operations").hasNotFailed());
	}

	@Test
	void reactiveApplicationWhenAPrivilegedMethodReturnsAPublisherThenReactiveMethodSecurityChecksIt() {
		this.contextRunner.withBean(ReactiveTransfers.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasBean("sessionTimeoutReactivePrivilegedSessionInterceptor")
				.hasSingleBean(PrivilegedOperations.class);
			assertThat(AopUtils.isAopProxy(context.getBean(ReactiveTransfers.class))).isTrue();
			assertThat(context.getBean(PrivilegedOperations.class).exist()).isTrue();
		});
	}

	@Test
	void reactiveApplicationWhenDisabledThenNoWarningAndNoBeans(CapturedOutput output) {
		this.contextRunner.withPropertyValues("session-timeout.enabled=false", "session-timeout.idle=banana")
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(SessionTimeoutWebFilter.class)
					.doesNotHaveBean(SessionTimeoutProperties.class);
				assertThat(warnings(output)).isEmpty();
			});
	}

	@Test
	void servletApplicationWhenStartedThenNoReactiveBeansNorWarning(CapturedOutput output) {
		new WebApplicationContextRunner().withConfiguration(ALL).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(SessionTimeoutFilter.class)
				.doesNotHaveBean(SessionTimeoutWebFilter.class);
			assertThat(output).doesNotContain("reactive (WebFlux)");
		});
	}

	@Test
	void reactiveApplicationWhenDurationUnparsableThenStartupFailsWithReport(CapturedOutput output) {
		FailureAnalysis analysis = startupFailure("session-timeout.idle=banana");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.idle", "Value: \"banana\"",
				"Origin: \"session-timeout.idle\" from property source \"test\"", "Rule: not a session duration");
		assertThat(analysis.getAction()).startsWith("Update your application's configuration:")
			.contains("session-timeout.idle: use a duration such as 30m");
		assertThat(warnings(output)).isEmpty();
	}

	@Test
	void reactiveApplicationWhenRulesBrokenThenStartupFailsNamingEachViolation() {
		FailureAnalysis analysis = startupFailure("session-timeout.absolute=1h", "session-timeout.idle=2h",
				"session-timeout.policies[0].absolute=1h", "session-timeout.privileged.paths=/a/{*rest}/b",
				"session-timeout.activity.passive-paths=/poll/**/x", "session-timeout.privileged.acr-values=two words");
		assertThat(analysis.getDescription()).contains("Property: session-timeout.privileged.acr-values[0]",
				"Rule: idle must not be longer than absolute, session-timeout.absolute=1h",
				"Property: session-timeout.policies[0].name", "Rule: every policy needs a name",
				"Property: session-timeout.privileged.paths[0]", "Property: session-timeout.activity.passive-paths[0]");
	}

	static class ReactiveTransfers {

		@RequiresPrivilegedSession
		public Mono<String> transfer() {
			return Mono.just("transferred");
		}

	}

	static class Transfers {

		@RequiresPrivilegedSession
		public String transfer() {
			return "transferred";
		}

	}

	private FailureAnalysis startupFailure(String... properties) {
		return startupFailure(this.contextRunner.withPropertyValues(properties));
	}

	private static FailureAnalysis startupFailure(ReactiveWebApplicationContextRunner runner) {
		AtomicReference<Environment> environment = new AtomicReference<>();
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		runner.withInitializer((context) -> environment.set(context.getEnvironment())).run((context) -> {
			assertThat(context).hasFailed();
			analysis.set(new SessionTimeoutFailureAnalyzer(environment.get()).analyze(context.getStartupFailure()));
		});
		assertThat(analysis.get()).isNotNull();
		return analysis.get();
	}

	/**
	 * Return the session manager Spring Boot configures for a Spring Session repository.
	 */
	/**
	 * A repository of the application's own, which several nodes could share.
	 */
	static class SharedSessionRepository implements ReactiveSessionRepository<MapSession> {

		private final ReactiveMapSessionRepository sessions = new ReactiveMapSessionRepository(new HashMap<>());

		@Override
		public Mono<MapSession> createSession() {
			return this.sessions.createSession();
		}

		@Override
		public Mono<Void> save(MapSession session) {
			return this.sessions.save(session);
		}

		@Override
		public Mono<MapSession> findById(String id) {
			return this.sessions.findById(id);
		}

		@Override
		public Mono<Void> deleteById(String id) {
			return this.sessions.deleteById(id);
		}

	}

	private static WebSessionManager springSessionManager(ReactiveSessionRepository<? extends Session> repository) {
		DefaultWebSessionManager manager = new DefaultWebSessionManager();
		manager.setSessionStore(new SpringSessionWebSessionStore<>(repository));
		return manager;
	}

	/**
	 * Sign a user in in a new session of the context's map store, as a login does: the
	 * session holds the user's security context and the clocks, and the starter's index
	 * files it under the user.
	 */
	@SuppressWarnings("unchecked")
	private static MapSession signIn(ApplicationContext context, String username) {
		ReactiveSessionRepository<MapSession> repository = context.getBean(ReactiveMapSessionRepository.class);
		MapSession session = repository.createSession().block(Duration.ofSeconds(10));
		session.setAttribute(WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME,
				new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(username, null,
						AuthorityUtils.createAuthorityList("ROLE_USER"))));
		SessionClocks clocks = context.getBean(SessionClocks.class);
		clocks.start(new SpringSessionAccess(session));
		repository.save(session).block(Duration.ofSeconds(10));
		Instant now = clocks.now();
		context.getBean(ReactiveUserSessionIndex.class)
			.add(username, session.getId(), now.plus(Duration.ofHours(8)), now)
			.block(Duration.ofSeconds(10));
		return session;
	}

	private static ServerWebExchange exchangeOf(ApplicationContext context, MapSession session, Principal principal) {
		WebSession webSession = new SpringSessionWebSessionStore<>(context.getBean(ReactiveMapSessionRepository.class))
			.retrieveSession(session.getId())
			.block(Duration.ofSeconds(10));
		return MockServerWebExchange.builder(MockServerHttpRequest.post("/account/password"))
			.session(webSession)
			.build()
			.mutate()
			.principal(Mono.just(principal))
			.build();
	}

	private static @Nullable Object revokedAt(ApplicationContext context, MapSession session) {
		return context.getBean(ReactiveMapSessionRepository.class)
			.findById(session.getId())
			.block(Duration.ofSeconds(10))
			.getAttribute(SessionAttributes.REVOKED_AT);
	}

	private static List<String> warnings(CapturedOutput output) {
		// The starter's own lines, in Logback's basic format or Spring Boot's, not those
		// of failures that name its beans
		Predicate<String> reactiveWarning = (line) -> line.contains("WARN") && line
			.matches(".*\\b" + SessionTimeoutReactiveAutoConfiguration.class.getSimpleName() + "\\s+(:|--) .*");
		return output.getAll().lines().filter(reactiveWarning).toList();
	}

	/**
	 * An override that adds to the policy's name, in its order.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ListeningRegistryConfiguration {

		@Bean
		ListeningRegistry sessionRegistry() {
			return new ListeningRegistry();
		}

	}

	/**
	 * An in-memory registry that forgets a session Spring Session deleted.
	 */
	static class ListeningRegistry extends InMemoryReactiveSessionRegistry
			implements ApplicationListener<SessionDeletedEvent> {

		private final List<String> deleted = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(SessionDeletedEvent event) {
			this.deleted.add(event.getSessionId());
			removeSessionInformation(event.getSessionId()).subscribe();
		}

		// read through a method: the starter's decoration is a subclass proxy
		public List<String> deleted() {
			return this.deleted;
		}

	}

	static class NamingOverride implements ReactiveSessionPolicyOverride, Ordered {

		private final String suffix;

		private final int order;

		NamingOverride(String suffix, int order) {
			this.suffix = suffix;
			this.order = order;
		}

		@Override
		public Mono<SessionTimeoutPolicy> override(SessionTimeoutPolicy policy, Authentication authentication,
				ServerWebExchange exchange) {
			return Mono.just(policy.withName(policy.name() + "-" + this.suffix));
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
