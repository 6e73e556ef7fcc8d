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

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.session.data.redis.ReactiveRedisIndexedSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.method.AuthorizationInterceptorsOrder;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeReactiveMethodInterceptor;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.session.ReactiveSessionRegistry;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.WebSessionServerRequestCache;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.InMemoryWebSessionStore;
import org.springframework.web.server.session.WebSessionManager;

import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.ReactiveSessionTimeouts;
import dev.sessiontimeout.ReactiveUserSessions;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.reactive.InMemoryWebSessionUserSessionStore;
import dev.sessiontimeout.internal.reactive.MethodRefusals;
import dev.sessiontimeout.internal.reactive.ReactivePendingLogoutCheck;
import dev.sessiontimeout.internal.reactive.ReactivePrivilegeGrants;
import dev.sessiontimeout.internal.reactive.ReactivePrivilegedOperations;
import dev.sessiontimeout.internal.reactive.ReactiveStoreUserSessions;
import dev.sessiontimeout.internal.reactive.ReactiveUserSessionIndex;
import dev.sessiontimeout.internal.reactive.ReactiveUserSessionsHandler;
import dev.sessiontimeout.internal.reactive.SpringSessionUserSessionStore;
import dev.sessiontimeout.internal.reactive.StoredEndedSessions;
import dev.sessiontimeout.internal.reactive.UnservedSessionStore;
import dev.sessiontimeout.internal.reactive.UserSessionStore;
import dev.sessiontimeout.internal.reactive.ReactiveSessionAuthentication;
import dev.sessiontimeout.internal.reactive.ReactiveSessionChallengeWebFilter;
import dev.sessiontimeout.internal.reactive.ReactiveSessionStatusHandler;
import dev.sessiontimeout.internal.reactive.ReactiveSessionStatuses;
import dev.sessiontimeout.internal.security.SecurityContextUsers;
import dev.sessiontimeout.internal.security.BearerTokenLoginFlow;
import dev.sessiontimeout.internal.security.LiveSessionsReactiveSessionRegistry;
import dev.sessiontimeout.internal.security.ReactiveSessionRegistryEndListener;
import dev.sessiontimeout.internal.security.LoginFlow;
import dev.sessiontimeout.internal.security.OidcLoginFlow;
import dev.sessiontimeout.internal.security.ReactivePrivilegedSessionAuthorizationManager;
import dev.sessiontimeout.internal.security.ReactiveSecuritySessionAuthentication;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.InMemoryUserSessionIndex;
import dev.sessiontimeout.internal.session.PrivilegedOperations;
import dev.sessiontimeout.internal.reactive.SessionTimeoutWebFilter;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionEndListener;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;
import dev.sessiontimeout.internal.web.SecurityContextPrincipalResolver;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for session lifetimes on a reactive
 * (WebFlux) web application: the absolute and idle clocks of every session, whatever
 * store WebFlux's session manager uses (its own in-memory store, or Spring Session's
 * reactive map or Redis repositories), passive requests, the {@code 302}/{@code 401}
 * answers with their reason, and, with Spring Security, the policies, re-authentication
 * and privileged paths of signed-in users, whose logins are recorded where Spring
 * Security stores them in the session, and {@code @RequiresPrivilegedSession} methods
 * that return a {@code Mono} or a {@code Flux}, for sessions and bearer tokens alike.
 * What it does not enforce on WebFlux (policy overrides, privileged methods that return
 * no {@code Publisher}) fails startup with a failure report, rather than being left
 * unenforced.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@AutoConfiguration(afterName = { "org.springframework.boot.session.autoconfigure.SessionAutoConfiguration",
		"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration" })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@Conditional(OnSessionTimeoutEnabledCondition.class)
@EnableConfigurationProperties(SessionTimeoutProperties.class)
public final class SessionTimeoutReactiveAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SessionTimeoutReactiveAutoConfiguration.class);

	static final String WARNING = "A privileged operation with maxAge 0 is used once per authentication on each"
			+ " node, not once in all: %s is neither of Spring Session's reactive Redis stores, so parallel requests"
			+ " to two nodes can both use it";

	private static final String REACTIVE_SESSION_REPOSITORY = "org.springframework.session.ReactiveSessionRepository";

	private static final String SERVER_SESSION_COOKIE_MAX_AGE = "server.reactive.session.cookie.max-age";

	/**
	 * The order of Spring Security's {@code WebFilterChainProxy} among the application's
	 * web filters ({@code WebFluxSecurityConfiguration.WEB_FILTER_CHAIN_FILTER_ORDER},
	 * not public).
	 */
	private static final int WEB_FILTER_CHAIN_FILTER_ORDER = -100;

	private static final String SERVLET_REQUEST = "jakarta.servlet.http.HttpServletRequest";

	private static final String SESSION_POLICY_OVERRIDE = "dev.sessiontimeout.SessionPolicyOverride";

	private static final String SECURITY_CONTEXT_REPOSITORY = "org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository";

	private static final String REACTIVE_METHOD_INTERCEPTOR = "org.springframework.security.authorization.method.AuthorizationManagerBeforeReactiveMethodInterceptor";

	@Bean
	@ConfigurationPropertiesBinding
	static SessionDurationConverter sessionDurationConverter() {
		return new SessionDurationConverter();
	}

	@Bean
	static SessionDurationBindHandlerAdvisor sessionDurationBindHandlerAdvisor(Environment environment) {
		return new SessionDurationBindHandlerAdvisor(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutSettings sessionTimeoutSettings(SessionTimeoutProperties properties, Environment environment,
			ListableBeanFactory beanFactory) {
		List<Violation> violations = new ArrayList<>();
		check(violations, () -> SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PASSIVE_PATHS,
				properties.getActivity().getPassivePaths()));
		check(violations, () -> SessionTimeoutSettingsFactory
			.acrValues(SessionTimeoutPropertyNames.PRIVILEGED_ACR_VALUES, properties.getPrivileged().getAcrValues()));
		check(violations, () -> SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PRIVILEGED_PATHS,
				properties.getPrivileged().getPaths()));
		check(violations, () -> SessionTimeoutSettingsFactory.passiveEndpointPaths(properties));
		check(violations, () -> SessionTimeoutSettingsFactory.expiredUrl(properties.getExpiredUrl()));
		SessionTimeoutSettings[] settings = new SessionTimeoutSettings[1];
		check(violations, () -> settings[0] = SessionTimeoutSettingsFactory.create(properties,
				platformIdle(properties, environment, beanFactory)));
		check(violations, () -> SessionTimeoutSettingsFactory.serverSessionCookieMaxAge(environment,
				SERVER_SESSION_COOKIE_MAX_AGE));
		if (violations.isEmpty()) {
			violations.addAll(notEnforcedYet(properties, beanFactory));
		}
		if (!violations.isEmpty()) {
			throw new InvalidSessionTimeoutException(violations);
		}
		settings[0].getNotes().forEach((note) -> logger.info(SessionTimeoutMessages.note(note)));
		settings[0].getWarnings().forEach((warning) -> logger.warn(SessionTimeoutMessages.warning(warning)));
		UnknownSessionTimeoutProperties.warn(environment, logger);
		return settings[0];
	}

	/**
	 * Return the idle timeout of the platform: Spring Session's where it keeps the
	 * sessions, else WebFlux's own. Both end a session whose timeout is 0 at once.
	 */
	private static @Nullable Duration platformIdle(SessionTimeoutProperties properties, Environment environment,
			ListableBeanFactory beanFactory) {
		if (usesSpringSession(beanFactory)) {
			Duration springSession = SessionTimeoutSettingsFactory.serverSessionTimeout(environment,
					"spring.session.timeout");
			return SessionTimeoutSettingsFactory.storeSessionTimeout(properties, environment,
					(springSession != null) ? springSession
							: SessionTimeoutSettingsFactory.serverSessionTimeout(environment,
									"server.reactive.session.timeout"),
					"Spring Session", "spring.session.timeout", "server.reactive.session.timeout");
		}
		return SessionTimeoutSettingsFactory.storeSessionTimeout(properties, environment,
				SessionTimeoutSettingsFactory.serverSessionTimeout(environment, "server.reactive.session.timeout"),
				"WebFlux's session store", "server.reactive.session.timeout");
	}

	private static boolean usesSpringSession(ListableBeanFactory beanFactory) {
		ClassLoader classLoader = SessionTimeoutReactiveAutoConfiguration.class.getClassLoader();
		return ClassUtils.isPresent(REACTIVE_SESSION_REPOSITORY, classLoader) && beanFactory.getBeanNamesForType(
				ClassUtils.resolveClassName(REACTIVE_SESSION_REPOSITORY, classLoader), true, false).length > 0;
	}

	/**
	 * Return what the starter does not apply on WebFlux: servlet policy overrides, whose
	 * parameter is a servlet request ({@link ReactiveSessionPolicyOverride} is
	 * WebFlux's).
	 */
	private static List<Violation> notEnforcedYet(SessionTimeoutProperties properties,
			ListableBeanFactory beanFactory) {
		List<Violation> violations = new ArrayList<>();
		ClassLoader classLoader = SessionTimeoutReactiveAutoConfiguration.class.getClassLoader();
		if (ClassUtils.isPresent(SERVLET_REQUEST, classLoader)) {
			for (String name : beanFactory
				.getBeanNamesForType(ClassUtils.resolveClassName(SESSION_POLICY_OVERRIDE, classLoader), true, false)) {
				violations.add(new Violation("SessionPolicyOverride", name,
						"a SessionPolicyOverride is not applied on WebFlux: its parameter is a servlet request",
						"declare a dev.sessiontimeout.ReactiveSessionPolicyOverride instead, which WebFlux applies"));
			}
		}
		return violations;
	}

	private static void check(List<Violation> violations, Runnable check) {
		try {
			check.run();
		}
		catch (InvalidSessionTimeoutException ex) {
			violations.addAll(ex.getViolations());
		}
	}

	@Bean
	@ConditionalOnMissingBean
	SessionClocks sessionTimeoutClocks(SessionTimeoutSettings settings, SessionTimeoutProperties properties,
			@Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock, ApplicationEventPublisher eventPublisher,
			ObjectProvider<SessionPrincipalResolver> principalResolver,
			ObjectProvider<PrivilegedOperations> privilegedOperations, ObjectProvider<EndedSessions> endedSessions,
			ObjectProvider<ReactiveUserSessionIndex> userSessionIndex,
			ObjectProvider<SessionEndListener> sessionEndListeners) {
		SessionClocks clocks = new SessionClocks(settings, clock.getIfAvailable(Clock::systemUTC), eventPublisher);
		clocks.setPrincipalLogFormat(SessionTimeoutSettingsFactory.principalLogFormat(properties));
		clocks.setSessionEndListeners(sessionEndListeners.orderedStream().toList());
		endedSessions.ifAvailable(clocks::setEndedSessions);
		// For logins the starter did not see; the others are indexed by the filter
		userSessionIndex.ifAvailable((index) -> {
			if (index.isIndex()) {
				clocks.setUserSessionIndex(index.detached());
			}
		});
		privilegedOperations.ifAvailable(clocks::setPrivilegedOperations);
		principalResolver.ifAvailable(clocks::setPrincipalResolver);
		return clocks;
	}

	@Bean
	@ConditionalOnMissingBean
	SessionTimeoutWebFilter sessionTimeoutWebFilter(SessionClocks clocks, SessionTimeoutProperties properties,
			ObjectProvider<WebSessionManager> sessionManager,
			ObjectProvider<ReactiveSessionAuthentication> authentication,
			ObjectProvider<ReactiveUserSessionIndex> userSessionIndex,
			ObjectProvider<StoredEndedSessions> storedEndedSessions,
			ObjectProvider<ReactivePrivilegeGrants> privilegeGrants,
			ObjectProvider<ReactivePendingLogoutCheck> pendingLogoutCheck,
			ObjectProvider<UserSessionStore> userSessionStore) {
		DefaultWebSessionManager manager = (sessionManager.getIfAvailable() instanceof DefaultWebSessionManager found)
				? found : null;
		SessionTimeoutWebFilter filter = new SessionTimeoutWebFilter(clocks, properties.getExpiredUrl(),
				SessionTimeoutSettingsFactory.pathPatterns(SessionTimeoutPropertyNames.PASSIVE_PATHS,
						properties.getActivity().getPassivePaths()),
				(manager != null) ? manager.getSessionIdResolver() : null);
		if (manager != null) {
			// Its store gives sessions whose save the filter skips for a request it does
			// not serve; a WebSessionManager of the application's own is left as it is
			UnservedSessionStore.decorate(manager);
		}
		filter.setSessionStore((manager != null) ? UnservedSessionStore.storeOf(manager) : null);
		filter.setSessionManager(manager);
		filter.setPassiveGetPaths(SessionTimeoutSettingsFactory.passiveEndpointPaths(properties));
		filter.setActivityAtEndpointPaths(SessionTimeoutSettingsFactory.activityAtEndpointPaths(properties));
		filter.setRecordedAtLogin(properties.getSessions().isEnabled(), properties.getSessions().isRecordIp());
		userSessionIndex.ifAvailable(filter::setUserSessionIndex);
		storedEndedSessions.ifAvailable(filter::setStoredEndedSessions);
		privilegeGrants.ifAvailable(filter::setPrivilegeGrants);
		// Read for the last access of a session the clocks adopt, in Spring Session's
		// store
		userSessionStore.ifUnique(filter::setUserSessionStore);
		// Asked for at the first request after an OpenID Connect login only: the registry
		// of back-channel logout, configured after this
		filter.setPendingLogoutCheck(pendingLogoutCheck::getIfUnique);
		authentication.ifAvailable(filter::setAuthentication);
		filter.setPrivilegedPaths(SessionTimeoutSettingsFactory
			.pathPatterns(SessionTimeoutPropertyNames.PRIVILEGED_PATHS, properties.getPrivileged().getPaths()));
		return filter;
	}

	@Bean
	@ConditionalOnMissingBean(ReactiveSessionTimeouts.class)
	ReactiveSessionStatuses sessionTimeoutReactiveSessionTimeouts(SessionClocks clocks) {
		return new ReactiveSessionStatuses(clocks);
	}

	@Bean
	@ConditionalOnSessionTimeoutSwitch("session-timeout.status.enabled")
	RouterFunction<ServerResponse> sessionTimeoutStatusRoute(SessionClocks clocks,
			SessionTimeoutProperties properties) {
		ReactiveSessionStatusHandler handler = new ReactiveSessionStatusHandler(clocks);
		String path = properties.getStatus().getPath();
		// HEAD as the GET, as Spring MVC answers it on servlet
		return RouterFunctions.route(
				RequestPredicates.GET(path).or(RequestPredicates.HEAD(path)).or(RequestPredicates.POST(path)), handler);
	}

	/**
	 * Remembers, in this node's memory, why sessions ended, for requests that still carry
	 * their ids, and revoked sessions of stores that keep copies of them.
	 * @return the ended sessions
	 */
	@Bean
	@ConditionalOnMissingBean
	EndedSessions sessionTimeoutEndedSessions() {
		return new InMemoryEndedSessions();
	}

	/**
	 * The privileged operations that {@code @RequiresPrivilegedSession} marks, as they
	 * are found.
	 * @return the privileged operations
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static PrivilegedOperations sessionTimeoutPrivilegedOperations() {
		return new PrivilegedOperations();
	}

	/**
	 * Fails startup if a bean has a {@link RequiresPrivilegedSession} method that nothing
	 * would check, rather than let it run for any session: one that returns no
	 * {@code Publisher} (reactive method security decides only those, in the Reactor
	 * context of their request), or any, without Spring Security's reactive method
	 * security, or one of a bean created before the auto-proxy creator, which the
	 * starter's advisor does not check; and privileged paths without Spring Security,
	 * which records when the user authenticated.
	 * @param beanFactory the bean factory
	 * @param properties the properties
	 * @return the check
	 */
	@Bean
	static SmartInitializingSingleton sessionTimeoutReactivePrivilegedOperationsCheck(
			ConfigurableListableBeanFactory beanFactory, ObjectProvider<SessionTimeoutProperties> properties) {
		// The application's class loader, as the conditions of the configurations that
		// check them see it
		ClassLoader classLoader = beanFactory.getBeanClassLoader();
		boolean security = ClassUtils.isPresent(SECURITY_CONTEXT_REPOSITORY, classLoader);
		boolean checked = ClassUtils.isPresent(REACTIVE_METHOD_INTERCEPTOR, classLoader) && security;
		return () -> {
			List<Violation> violations = new ArrayList<>();
			List<String> paths = properties.getObject().getPrivileged().getPaths();
			if (!security && !paths.isEmpty()) {
				violations.add(PrivilegedBeans.pathsWithoutSpringSecurity(paths));
			}
			for (String method : PrivilegedBeans.uncheckedMethodsOfDefinitions(beanFactory,
					(candidate) -> !checked || !Publisher.class.isAssignableFrom(candidate.getReturnType()))) {
				violations.add(privilegedOperation(method, checked));
			}
			if (checked) {
				violations
					.addAll(PrivilegedBeans.unadvised(beanFactory, "sessionTimeoutReactivePrivilegedSessionInterceptor",
							(method) -> Publisher.class.isAssignableFrom(method.getReturnType())));
			}
			if (!violations.isEmpty()) {
				throw new InvalidSessionTimeoutException(violations.stream().distinct().toList());
			}
		};
	}

	private static Violation privilegedOperation(String where, boolean checked) {
		return checked
				? new Violation(PrivilegedBeans.ANNOTATION, where,
						"a privileged operation on WebFlux must return a Publisher, such as a Mono or a Flux:"
								+ " it is checked in the Reactor context of its request",
						"return a Mono or a Flux, or move the annotation to the reactive method that calls it")
				: new Violation(PrivilegedBeans.ANNOTATION, where,
						"privileged operations are checked on WebFlux by Spring Security's reactive method security,"
								+ " which is not on the classpath",
						"add spring-boot-starter-security, or remove the annotation");
	}

	/**
	 * A user's sessions in Spring Session's reactive repositories: found through the
	 * store's index by principal name where it has one (Redis indexed); else through the
	 * index that the starter keeps, in Redis next to the sessions of the default Redis
	 * repository, in memory for the map repository.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveSessionRepository.class)
	@ConditionalOnSingleCandidate(ReactiveSessionRepository.class)
	static class SpringSessionUserSessionsConfiguration {

		private static final boolean REDIS_PRESENT = ClassUtils.isPresent(
				"org.springframework.session.data.redis.ReactiveRedisSessionRepository",
				SpringSessionUserSessionsConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean
		ReactiveUserSessionIndex sessionTimeoutReactiveUserSessionIndex(ReactiveSessionRepository<?> repository,
				Environment environment) {
			ReactiveUserSessionIndex redis = REDIS_PRESENT
					? ReactiveRedisUserSessionIndex.of(repository, SpringSessionRedis.recordsNamespace(environment))
					: null;
			if (redis != null) {
				return redis;
			}
			ReactiveUserSessionIndex switched = ReactiveIndexedRepositorySwitchedSessions.of(repository);
			if (switched != null) {
				// The store files each session under its user; the starter, the sessions
				// in which a user switched to another under the user who switched
				return switched;
			}
			return (repository instanceof ReactiveMapSessionRepository map)
					? ReactiveUserSessionIndex.of(new InMemoryUserSessionIndex((sessionId) -> isHeld(map, sessionId)))
					: ReactiveUserSessionIndex.NONE;
		}

		/**
		 * Return whether the map repository holds a session, without blocking: its lookup
		 * answers as it is subscribed to; one that has not answered, or failed, counts as
		 * held, so that its entry is kept.
		 */
		private static boolean isHeld(ReactiveMapSessionRepository repository, String sessionId) {
			try {
				return repository.findById(sessionId).hasElement().toFuture().getNow(Boolean.TRUE);
			}
			catch (RuntimeException ex) {
				return true;
			}
		}

		@Bean
		@ConditionalOnMissingBean
		UserSessionStore sessionTimeoutSpringSessionUserSessionStore(ReactiveSessionRepository<?> repository,
				ReactiveUserSessionIndex userSessionIndex, SessionClocks clocks,
				ObjectProvider<WebSessionManager> sessionManager, Environment environment) {
			// Only where the session manager keeps its sessions in that repository: else
			// the lookups would find none and revoke none while reporting success
			if (!(sessionManager.getIfAvailable() instanceof DefaultWebSessionManager manager
					&& UnservedSessionStore.storeOf(manager) instanceof SpringSessionWebSessionStore)) {
				return UserSessionStore.unsupported("this application's WebSessionManager does not keep its sessions in"
						+ " its ReactiveSessionRepository through Spring Session's SpringSessionWebSessionStore");
			}
			SpringSessionUserSessionStore store = new SpringSessionUserSessionStore(repository, userSessionIndex,
					clocks);
			// In the repository's own namespace, which the application may have set on it
			ReactiveRedisIndexedSessionIds indexedSessionIds = REDIS_PRESENT ? ReactiveRedisIndexedSessionIds
				.of(repository, SpringSessionRedis.namespaceOf(repository, environment)) : null;
			if (indexedSessionIds != null) {
				store.setIndexedSessionIds(indexedSessionIds);
			}
			return store;
		}

	}

	/**
	 * Warns where the one use of a privilege grant is decided in each node's memory
	 * although several nodes may share the sessions: in a reactive Spring Session
	 * repository other than the map (one node's memory) and the Redis ones (whose grants
	 * are claimed in Redis).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveSessionRepository.class)
	static class PrivilegeGrantsConfiguration {

		@Bean
		InitializingBean sessionTimeoutReactivePrivilegeGrantsWarning(
				ObjectProvider<ReactiveSessionRepository<?>> repository,
				ObjectProvider<ReactivePrivilegeGrants> privilegeGrants) {
			return () -> {
				ReactiveSessionRepository<?> found = repository.getIfUnique();
				if (found != null && !(found instanceof ReactiveMapSessionRepository)
						&& privilegeGrants.getIfAvailable() == null) {
					logger.warn(WARNING.formatted(found.getClass().getName()));
				}
			};
		}

	}

	/**
	 * A user's sessions, to list and to revoke them, and the self-service endpoint: in
	 * Spring Session's store (above), else among the live sessions of WebFlux's own
	 * store.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UserSessionsConfiguration {

		private static final boolean SECURITY_CONTEXT_PRESENT = ClassUtils.isPresent(
				"org.springframework.security.core.context.ReactiveSecurityContextHolder",
				UserSessionsConfiguration.class.getClassLoader());

		/**
		 * WebFlux's own session store, without Spring Session: a user's sessions are
		 * searched among its live ones.
		 * @param sessionManager the session manager
		 * @param clocks the session clocks
		 * @return where the sessions are kept
		 */
		@Bean
		@ConditionalOnMissingBean(value = UserSessionStore.class, type = REACTIVE_SESSION_REPOSITORY)
		UserSessionStore sessionTimeoutUserSessionStore(ObjectProvider<WebSessionManager> sessionManager,
				SessionClocks clocks) {
			if (sessionManager.getIfAvailable() instanceof DefaultWebSessionManager manager
					&& UnservedSessionStore.storeOf(manager) instanceof InMemoryWebSessionStore store) {
				return new InMemoryWebSessionUserSessionStore(store, clocks);
			}
			return UserSessionStore.unsupported("this application keeps its sessions in "
					+ ((sessionManager.getIfAvailable() instanceof DefaultWebSessionManager manager)
							? UnservedSessionStore.storeOf(manager).getClass().getName()
							: "a WebSessionManager of its own"));
		}

		@Bean
		@ConditionalOnMissingBean(ReactiveUserSessions.class)
		ReactiveStoreUserSessions sessionTimeoutReactiveUserSessions(ObjectProvider<UserSessionStore> store,
				SessionClocks clocks, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock,
				ApplicationEventPublisher eventPublisher, ObjectProvider<EndedSessions> endedSessions,
				ObjectProvider<StoredEndedSessions> storedEndedSessions) {
			ReactiveStoreUserSessions userSessions = new ReactiveStoreUserSessions(store.getIfUnique(
					() -> UserSessionStore.unsupported("this application has more than one ReactiveSessionRepository")),
					clocks, clock.getIfAvailable(Clock::systemUTC), eventPublisher);
			endedSessions.ifAvailable(userSessions::setEndedSessions);
			storedEndedSessions.ifAvailable(userSessions::setStoredEndedSessions);
			if (SECURITY_CONTEXT_PRESENT) {
				userSessions.setExchangeUsers(SecurityContextUsers::userOf);
			}
			return userSessions;
		}

		@Bean
		@ConditionalOnSessionTimeoutSwitch("session-timeout.sessions.enabled")
		@ConditionalOnBean(ReactiveStoreUserSessions.class)
		RouterFunction<ServerResponse> sessionTimeoutUserSessionsRoutes(ReactiveStoreUserSessions userSessions,
				SessionClocks clocks, SessionTimeoutProperties properties) {
			return new ReactiveUserSessionsHandler(userSessions, clocks, properties.getSessions().isRecordIp())
				.routes(properties.getSessions().getPath());
		}

	}

	/**
	 * Lets Spring Session's reactive Redis stores read a session that a concurrent save
	 * left incomplete as one they no longer have, rather than fail the request, and read
	 * the starter's state without Java deserialization where they use Java serialization.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveRedisSessionRepository.class, ReactiveSessionRepositoryCustomizer.class })
	static class RedisConfiguration {

		/**
		 * The template of a reactive Redis repository takes its serializer when Spring
		 * Session's configuration makes the repository, and keeps it: it is given to the
		 * configuration, before the repository exists.
		 * @param beanFactory the bean factory
		 * @return the post-processor
		 */
		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static BeanPostProcessor sessionTimeoutReactiveRedisSerializerPostProcessor(
				ConfigurableListableBeanFactory beanFactory) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) {
					JavaSerializedStringRedisSerializer.install(bean, beanFactory);
					return bean;
				}

			};
		}

		@Bean
		@ConditionalOnBean(ReactiveRedisSessionRepository.class)
		@ConditionalOnMissingBean(EndedSessions.class)
		ReactiveRedisEndedSessions sessionTimeoutReactiveRedisEndedSessions(ReactiveRedisSessionRepository repository,
				Environment environment) {
			return new ReactiveRedisEndedSessions(repository.getSessionRedisOperations(),
					SpringSessionRedis.recordsNamespace(environment));
		}

		@Bean
		@ConditionalOnBean(ReactiveRedisIndexedSessionRepository.class)
		@ConditionalOnMissingBean(EndedSessions.class)
		ReactiveRedisEndedSessions sessionTimeoutReactiveRedisIndexedEndedSessions(
				ReactiveRedisIndexedSessionRepository repository, Environment environment) {
			return new ReactiveRedisEndedSessions(repository.getSessionRedisOperations(),
					SpringSessionRedis.recordsNamespace(environment));
		}

		/**
		 * The one use of a privilege grant, claimed in Spring Session's reactive default
		 * Redis repository, so that parallel requests, on any node, cannot both use it.
		 * @param repository the repository
		 * @param environment the environment, for the key namespace
		 * @return the grants
		 */
		@Bean
		@ConditionalOnBean(ReactiveRedisSessionRepository.class)
		@ConditionalOnMissingBean(ReactivePrivilegeGrants.class)
		ReactivePrivilegeGrants sessionTimeoutReactiveRedisPrivilegeGrants(ReactiveRedisSessionRepository repository,
				Environment environment) {
			return Objects.requireNonNull(ReactiveRedisPrivilegeGrants.of(repository,
					SpringSessionRedis.namespaceOf(repository, environment)));
		}

		/**
		 * The one use of a privilege grant, claimed in Spring Session's reactive indexed
		 * Redis repository.
		 * @param repository the repository
		 * @param environment the environment, for the key namespace
		 * @return the grants
		 */
		@Bean
		@ConditionalOnBean(ReactiveRedisIndexedSessionRepository.class)
		@ConditionalOnMissingBean(ReactivePrivilegeGrants.class)
		ReactivePrivilegeGrants sessionTimeoutReactiveRedisIndexedPrivilegeGrants(
				ReactiveRedisIndexedSessionRepository repository, Environment environment) {
			return Objects.requireNonNull(ReactiveRedisPrivilegeGrants.of(repository,
					SpringSessionRedis.namespaceOf(repository, environment)));
		}

		@Bean
		@Order(0)
		ReactiveSessionRepositoryCustomizer<ReactiveRedisSessionRepository> sessionTimeoutReactiveRedisSessionRepositoryCustomizer() {
			return (repository) -> repository
				.setRedisSessionMapper(IncompleteSessionTolerantRedisSessionMapper.reactive());
		}

		@Bean
		@Order(0)
		ReactiveSessionRepositoryCustomizer<ReactiveRedisIndexedSessionRepository> sessionTimeoutReactiveRedisIndexedSessionRepositoryCustomizer() {
			return (repository) -> repository
				.setRedisSessionMapper(IncompleteSessionTolerantRedisSessionMapper.reactive());
		}

	}

	/**
	 * Spring Security: the user of a session is the one of the {@link SecurityContext} it
	 * holds, under the same attribute name on WebFlux as on servlet.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityContext.class, WebSession.class, WebSessionServerSecurityContextRepository.class })
	static class SecurityConfiguration {

		private static final String OAUTH2_AUTHENTICATION_TOKEN = "org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken";

		private static final String OAUTH2_TOKEN_AUTHENTICATION = "org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken";

		private static final String SERVER_HTTP_SECURITY = "org.springframework.security.config.web.server.ServerHttpSecurity";

		@Bean
		@ConditionalOnMissingBean
		SessionPrincipalResolver sessionPrincipalResolver() {
			return new SecurityContextPrincipalResolver();
		}

		@Bean
		@ConditionalOnMissingBean
		ReactiveSecuritySessionAuthentication sessionTimeoutReactiveSessionAuthentication(SessionClocks clocks,
				SessionTimeoutProperties properties, ObjectProvider<ReactiveSessionPolicyOverride> overrides,
				ObjectProvider<RoleHierarchy> roleHierarchy, ObjectProvider<SecurityWebFilterChain> chains,
				BeanFactory beanFactory) {
			ClassLoader classLoader = SecurityConfiguration.class.getClassLoader();
			List<LoginFlow> loginFlows = new ArrayList<>();
			if (ClassUtils.isPresent(OAUTH2_AUTHENTICATION_TOKEN, classLoader)) {
				OidcLoginFlow flow = new OidcLoginFlow();
				flow.setCallbackTimeAsAuthenticationTime(properties.getOauth2().isCallbackTimeAsAuthenticationTime());
				loginFlows.add(flow);
			}
			if (ClassUtils.isPresent(OAUTH2_TOKEN_AUTHENTICATION, classLoader)) {
				loginFlows.add(new BearerTokenLoginFlow());
			}
			ReactiveSecuritySessionAuthentication authentication = new ReactiveSecuritySessionAuthentication(clocks,
					loginFlows, new WebSessionServerRequestCache(),
					ClassUtils.isPresent(SERVER_HTTP_SECURITY, classLoader));
			authentication.setPrivilegedAcrValues(SessionTimeoutSettingsFactory.acrValues(
					SessionTimeoutPropertyNames.PRIVILEGED_ACR_VALUES, properties.getPrivileged().getAcrValues()));
			authentication.setPolicyOverrides(overrides.orderedStream().toList());
			// The role hierarchy that Spring Security's authorization applies
			authentication.setRoleHierarchy(roleHierarchy.getIfUnique());
			// The chains of the WebFilterChainProxy, in its order, whose headers the
			// answers given before it carry: read at the first answer, once they exist
			boolean buildsDefaultChain = ClassUtils.isPresent(SERVER_HTTP_SECURITY, classLoader);
			authentication.setSecurityWebFilterChains(SingletonSupplier.of(() -> {
				List<SecurityWebFilterChain> beans = chains.orderedStream().toList();
				return (beans.isEmpty() && buildsDefaultChain && DefaultSecurityWebFilterChain.serves(beanFactory))
						? DefaultSecurityWebFilterChain.build(beanFactory) : beans;
			}));
			return authentication;
		}

		/**
		 * The chain that Spring Security serves every exchange with where no
		 * {@link SecurityWebFilterChain} is a bean ({@code @EnableWebFluxSecurity} builds
		 * it itself, and it is no bean): built the same way, from a
		 * {@link ServerHttpSecurity} of the application's context with its defaults, for
		 * its headers. Loaded only where Spring Security's configuration is present.
		 */
		private static final class DefaultSecurityWebFilterChain {

			private static final Log logger = LogFactory.getLog(DefaultSecurityWebFilterChain.class);

			private static final String WEB_FLUX_SECURITY_CONFIGURATION = "org.springframework.security.config"
					+ ".annotation.web.reactive.WebFluxSecurityConfiguration";

			/**
			 * Return whether Spring Security serves the exchanges with the default chain:
			 * its {@code WebFilterChainProxy} is the one {@code @EnableWebFluxSecurity}
			 * defines, which builds that chain where no chain is a bean. A
			 * {@code WebFilterChainProxy} bean of the application's own serves chains of
			 * its own, which are no beans either, and whose headers are unknown.
			 * @param beanFactory the application's bean factory
			 * @return whether it does
			 */
			static boolean serves(BeanFactory beanFactory) {
				if (!(beanFactory instanceof ConfigurableListableBeanFactory listable)) {
					return false;
				}
				for (String name : listable.getBeanNamesForType(WebFilterChainProxy.class, false, false)) {
					if (listable.containsBeanDefinition(name)
							&& listable.getBeanDefinition(name) instanceof AnnotatedBeanDefinition annotated
							&& annotated.getFactoryMethodMetadata() != null && WEB_FLUX_SECURITY_CONFIGURATION
								.equals(annotated.getFactoryMethodMetadata().getDeclaringClassName())) {
						return true;
					}
				}
				return false;
			}

			/**
			 * Build the chain.
			 * @param beanFactory the application's bean factory
			 * @return the chain, or none if it cannot be built (the answers are written
			 * without its headers)
			 */
			static List<SecurityWebFilterChain> build(BeanFactory beanFactory) {
				try {
					return List.of(beanFactory.getBeanProvider(ServerHttpSecurity.class)
						.getIfAvailable(ServerHttpSecurity::http)
						.build());
				}
				catch (RuntimeException ex) {
					logger.warn("Spring Security's default chain could not be built for its headers: the answers "
							+ "session-timeout gives before it carry none", ex);
					return List.of();
				}
			}

		}

		/**
		 * {@code @RequiresPrivilegedSession} on methods returning a {@code Mono} or a
		 * {@code Flux}: an infrastructure advisor after {@code @PreAuthorize}, and an
		 * auto-proxy creator to apply it when Spring Boot registers none.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(AuthorizationManagerBeforeReactiveMethodInterceptor.class)
		@Import(AutoProxyRegistrar.class)
		static class MethodSecurityConfiguration {

			@Bean
			@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
			static AuthorizationManagerBeforeReactiveMethodInterceptor sessionTimeoutReactivePrivilegedSessionInterceptor(
					ObjectProvider<SessionClocks> clocks,
					ObjectProvider<ReactiveSecuritySessionAuthentication> authentication,
					ObjectProvider<SessionTimeoutSettings> settings,
					ObjectProvider<PrivilegedOperations> privilegedOperations,
					ObjectProvider<ReactivePrivilegeGrants> privilegeGrants, Environment environment) {
				AuthorizationManagerBeforeReactiveMethodInterceptor interceptor = new AuthorizationManagerBeforeReactiveMethodInterceptor(
						PrivilegedSessionPointcuts
							.pointcut(privilegedOperations.getIfAvailable(PrivilegedOperations::new), environment),
						new ReactivePrivilegedSessionAuthorizationManager(
								SingletonSupplier.of(() -> new ReactivePrivilegedOperations(clocks.getObject(),
										authentication.getObject(), privilegeGrants.getIfAvailable())),
								authentication::getObject, settings::getObject));
				interceptor.setOrder(AuthorizationInterceptorsOrder.JSR250.getOrder() + 1);
				return interceptor;
			}

			/**
			 * Notes what a method that method security guards failed a request with, so
			 * that the starter answers its own refusals (a privileged operation, a
			 * refusal for want of the user while re-authentication is due) whatever the
			 * application's exception handlers make of them.
			 * @return the advisor, outermost
			 */
			@Bean
			@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
			static MethodRefusals sessionTimeoutReactiveMethodRefusals() {
				return new MethodRefusals();
			}

		}

		/**
		 * Spring Security's concurrent-session control: the application's
		 * {@link ReactiveSessionRegistry} counts no session that the starter ended and
		 * the store still holds (revoked, or past a deadline with no request since),
		 * which Spring Session's {@code SpringSessionBackedReactiveSessionRegistry}
		 * would. The registry keeps its class where it can be subclassed, so that it may
		 * still be injected as the class declared, and every interface it implements.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(ReactiveSessionRegistry.class)
		static class ConcurrentSessionsConfiguration {

			@Bean
			@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
			static BeanPostProcessor sessionTimeoutReactiveSessionRegistryPostProcessor(
					ObjectProvider<ReactiveStoreUserSessions> userSessions) {
				return new BeanPostProcessor() {

					@Override
					public Object postProcessAfterInitialization(Object bean, String beanName) {
						if (bean instanceof ReactiveSessionRegistry registry
								&& !LiveSessionsReactiveSessionRegistry.isDecorated(bean)) {
							return LiveSessionsReactiveSessionRegistry.decorate(registry, userSessions::getIfUnique);
						}
						return bean;
					}

				};
			}

			/**
			 * Removes the sessions the starter ends from the registry, which an in-memory
			 * one would otherwise keep: the starter ends a session before Spring
			 * Security's filter chain, whose invalidation would remove it.
			 * @param sessionRegistry the application's registry, if any
			 * @return the listener
			 */
			@Bean
			ReactiveSessionRegistryEndListener sessionTimeoutReactiveSessionRegistryEndListener(
					ObjectProvider<ReactiveSessionRegistry> sessionRegistry) {
				return new ReactiveSessionRegistryEndListener(sessionRegistry::getIfUnique);
			}

		}

		/**
		 * Spring Security's configuration of WebFlux: every security filter chain built
		 * from its {@link ServerHttpSecurity} bean answers challenges to authenticate
		 * again right before its authorization.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(ServerHttpSecurity.class)
		static class ChallengeConfiguration {

			@Bean
			Customizer<ServerHttpSecurity> sessionTimeoutServerHttpSecurityCustomizer(SessionClocks clocks,
					SessionTimeoutProperties properties, ReactiveSessionAuthentication authentication) {
				ReactiveSessionChallengeWebFilter filter = challengeFilter(clocks, properties, authentication);
				WebFilter afterAuthorization = filter.afterAuthorization();
				WebFilter chainStart = filter.chainStart();
				return (http) -> http.addFilterAt(chainStart, SecurityWebFiltersOrder.FIRST)
					.addFilterBefore(filter, SecurityWebFiltersOrder.AUTHORIZATION)
					.addFilterAfter(afterAuthorization, SecurityWebFiltersOrder.AUTHORIZATION);
			}

			private static ReactiveSessionChallengeWebFilter challengeFilter(SessionClocks clocks,
					SessionTimeoutProperties properties, ReactiveSessionAuthentication authentication) {
				ReactiveSessionChallengeWebFilter filter = new ReactiveSessionChallengeWebFilter(clocks,
						properties.getExpiredUrl(), authentication);
				filter.setPrivilegedPaths(SessionTimeoutSettingsFactory
					.pathPatterns(SessionTimeoutPropertyNames.PRIVILEGED_PATHS, properties.getPrivileged().getPaths()));
				return filter;
			}

			/**
			 * Serves a request that no security filter chain covers as the filter right
			 * after a chain's authorization would: the same request on servlet counts as
			 * activity while its user must authenticate again, unless something further
			 * down refuses it for want of that user, which gets the challenge.
			 * @param clocks the session clocks
			 * @param properties the properties
			 * @param authentication the application's security
			 * @return the filter, right after Spring Security's filter chains
			 */
			@Bean
			ReactiveSessionChallengeWebFilter.WithoutUserWebFilter sessionTimeoutWithoutUserWebFilter(
					SessionClocks clocks, SessionTimeoutProperties properties,
					ReactiveSessionAuthentication authentication) {
				return challengeFilter(clocks, properties, authentication)
					.afterSecurityChains(WEB_FILTER_CHAIN_FILTER_ORDER + 1);
			}

			/**
			 * Fails startup if a security filter chain keeps the signed-in user under a
			 * session attribute of its own, where the starter would not see it.
			 * @param beanFactory the bean factory
			 * @return the check
			 */
			@Bean
			static SmartInitializingSingleton sessionTimeoutSecurityContextAttributeCheck(
					ListableBeanFactory beanFactory) {
				return new ReactiveSecurityContextAttributeCheck(beanFactory);
			}

			/**
			 * Fails startup if privileged paths are set and a security filter chain does
			 * not check them: one not built from Spring Security's
			 * {@link ServerHttpSecurity} bean, which the starter customizes, would serve
			 * them to bearer tokens and other authentications without asking when their
			 * users authenticated.
			 * @param beanFactory the bean factory
			 * @param properties the properties
			 * @return the check
			 */
			@Bean
			static SmartInitializingSingleton sessionTimeoutSecurityWebFilterChainsCheck(
					ListableBeanFactory beanFactory, ObjectProvider<SessionTimeoutProperties> properties) {
				return () -> {
					SessionTimeoutProperties found = properties.getIfAvailable();
					if (found == null || found.getPrivileged().getPaths().isEmpty()) {
						return;
					}
					List<Violation> violations = new ArrayList<>();
					beanFactory.getBeansOfType(SecurityWebFilterChain.class).forEach((name, chain) -> {
						List<WebFilter> filters = chain.getWebFilters().collectList().block(Duration.ofSeconds(10));
						if (filters != null
								&& filters.stream().noneMatch(ReactiveSessionChallengeWebFilter.class::isInstance)) {
							violations.add(new Violation("SecurityWebFilterChain", name,
									"its requests' privileged paths (" + SessionTimeoutPropertyNames.PRIVILEGED_PATHS
											+ ") would go unchecked: it was not built from Spring Security's"
											+ " ServerHttpSecurity bean, which the starter customizes",
									"build it from the ServerHttpSecurity bean that Spring Security provides"
											+ " (inject it into the method that builds the chain)"));
						}
					});
					if (!violations.isEmpty()) {
						throw new InvalidSessionTimeoutException(violations);
					}
				};
			}

		}

	}

}
