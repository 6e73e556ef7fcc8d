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
import java.time.Instant;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.session.autoconfigure.SessionTimeout;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.autoconfigure.SessionTimeoutAutoConfiguration.PlatformSessionTimeout;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.InMemoryUserSessionIndex;
import dev.sessiontimeout.internal.session.UserSessionIndex;
import dev.sessiontimeout.internal.session.InMemoryPrivilegeGrants;
import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.StoredSessions;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;
import dev.sessiontimeout.internal.web.ContainerSessionCookieWriter;
import dev.sessiontimeout.internal.web.ContainerSessions;
import dev.sessiontimeout.internal.web.SessionCookieSerializerInterceptor;
import dev.sessiontimeout.internal.web.SessionCookieWriter;
import dev.sessiontimeout.internal.web.SpringSessionCookieWriter;

/**
 * Configurations for Spring Session that {@link SessionTimeoutAutoConfiguration} imports:
 * each applies only when the part of Spring Session it adapts to is on the classpath.
 *
 * @author session-timeout
 */
final class SpringSessionConfigurations {

	private static final Log logger = LogFactory.getLog(SpringSessionConfigurations.class);

	private SpringSessionConfigurations() {
	}

	/**
	 * Spring Session's own timeout ({@code spring.session.timeout}) as the platform's
	 * session timeout, the default idle timeout.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionTimeout.class)
	static class PlatformSessionTimeoutConfiguration {

		@Bean
		PlatformSessionTimeout sessionTimeoutPlatformTimeout(ObjectProvider<SessionTimeout> sessionTimeout,
				Environment environment, ListableBeanFactory beanFactory) {
			return (properties) -> {
				SessionTimeout timeout = sessionTimeout.getIfAvailable();
				Duration springSession = (timeout != null) ? timeout.getTimeout() : null;
				Duration duration = (springSession != null) ? springSession
						: SessionTimeoutAutoConfiguration.serverSessionTimeout(environment);
				// Where Spring Session keeps the sessions: the container never times
				// out a session whose timeout is 0
				return (beanFactory.getBeanNamesForType(SessionRepository.class, true, false).length > 0)
						? SessionTimeoutSettingsFactory.storeSessionTimeout(properties, environment, duration,
								"Spring Session", "spring.session.timeout", "server.servlet.session.timeout")
						: duration;
			};
		}

	}

	/**
	 * Remembers why sessions ended in the session store itself, where Spring Session's
	 * Redis and JDBC stores allow it, so that every node gives the same reason.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionRepository.class)
	static class EndedSessionsConfiguration {

		private static final boolean REDIS_PRESENT = ClassUtils.isPresent(
				"org.springframework.session.data.redis.RedisSessionRepository",
				EndedSessionsConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean
		EndedSessions sessionTimeoutEndedSessions(ObjectProvider<SessionRepository<?>> repositories,
				Environment environment) {
			SessionRepository<?> repository = repositories.getIfUnique();
			EndedSessions redis = REDIS_PRESENT
					? RedisEndedSessions.of(repository, SpringSessionRedis.recordsNamespace(environment)) : null;
			if (redis != null) {
				return redis;
			}
			if (repository instanceof FindByIndexNameSessionRepository<?> indexed) {
				return IndexedRepositoryEndedSessions.of(indexed);
			}
			if (repository != null && !(repository instanceof MapSessionRepository)) {
				logger.warn("Why sessions ended is remembered in this node's memory only: "
						+ repository.getClass().getName() + " is neither a Redis store of Spring Session nor indexed "
						+ "by principal name, so other nodes answer requests with an ended session's id with "
						+ "reason invalid");
			}
			return new InMemoryEndedSessions();
		}

	}

	/**
	 * A user's sessions, found through the store's index by principal name where it has
	 * one, with the sessions in which the user switched to another, which the starter
	 * files under the user in records of that store; else through the index that the
	 * starter keeps: in Redis next to the sessions of Spring Session's default Redis
	 * repository, in memory for its map repository; the container's live sessions are
	 * kept by id and searched.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionRepository.class)
	static class UserSessionsConfiguration {

		private static final boolean PERSISTENT_TOKENS_PRESENT = ClassUtils.isPresent(
				"org.springframework.security.web.authentication.rememberme.PersistentTokenRepository",
				UserSessionsConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean(UserSessions.class)
		SpringSessionUserSessions sessionTimeoutUserSessions(ObjectProvider<SessionRepository<?>> repository,
				SessionClocks clocks, @Qualifier("sessionTimeoutClock") ObjectProvider<Clock> clock,
				ApplicationEventPublisher eventPublisher, ObjectProvider<UserSessionIndex> userSessionIndex,
				ObjectProvider<EndedSessions> endedSessions, ObjectProvider<ContainerSessions> containerSessions,
				BeanFactory beanFactory, Environment environment) {
			SpringSessionUserSessions userSessions = new SpringSessionUserSessions(repository::getIfUnique, clocks,
					clock.getIfAvailable(Clock::systemUTC), eventPublisher);
			userSessionIndex.ifAvailable(userSessions::setUserSessionIndex);
			endedSessions.ifAvailable(userSessions::setEndedSessions);
			containerSessions.ifAvailable(userSessions::setContainerSessions);
			if (PERSISTENT_TOKENS_PRESENT) {
				userSessions.setSignInRevoker(RememberMeTokens.remover(beanFactory));
			}
			// In the repository's own namespace, which the application may have set on it
			SessionRepository<?> inUse = repository.getIfUnique();
			RedisIndexedSessionIds indexedSessionIds = EndedSessionsConfiguration.REDIS_PRESENT
					? RedisIndexedSessionIds.of(inUse, SpringSessionRedis.namespaceOf(inUse, environment)) : null;
			if (indexedSessionIds != null) {
				userSessions.setIndexedSessionIds(indexedSessionIds);
			}
			return userSessions;
		}

		@Bean
		@ConditionalOnMissingBean
		UserSessionIndex sessionTimeoutUserSessionIndex(ObjectProvider<SessionRepository<?>> repositories,
				Environment environment) {
			SessionRepository<?> repository = repositories.getIfUnique();
			UserSessionIndex redis = EndedSessionsConfiguration.REDIS_PRESENT
					? RedisUserSessionIndex.of(repository, SpringSessionRedis.recordsNamespace(environment)) : null;
			if (redis != null) {
				return redis;
			}
			if (repository instanceof FindByIndexNameSessionRepository<?> indexed) {
				// The store files each session under its user; the starter, the sessions
				// in which a user switched to another under the user who switched
				return IndexedRepositorySwitchedSessions.of(indexed);
			}
			return (repository instanceof MapSessionRepository map)
					? new InMemoryUserSessionIndex((sessionId) -> map.findById(sessionId) != null)
					: UserSessionIndex.NONE;
		}

		@Bean
		@ConditionalOnMissingBean
		ContainerSessions sessionTimeoutContainerSessions(ObjectProvider<SessionRepository<?>> repositories) {
			return new ContainerSessions(() -> repositories.getIfUnique() == null);
		}

		/**
		 * Registers the container sessions' listener with the container only where the
		 * application uses the container's sessions, as {@link ContainerSessions} itself
		 * tells: an application's session id listener makes Tomcat create an event for
		 * every request attribute set or removed, on every request.
		 * @param containerSessions the container's sessions, if any
		 * @return the initializer
		 */
		@Bean
		ServletContextInitializer sessionTimeoutContainerSessionsListener(
				ObjectProvider<ContainerSessions> containerSessions) {
			return (servletContext) -> {
				ContainerSessions sessions = containerSessions.getIfUnique();
				if (sessions != null) {
					sessions.register(servletContext);
				}
			};
		}

		/**
		 * Removes a revoked user's persistent remember-me tokens, from every
		 * {@code PersistentTokenRepository} bean, so that the user is not signed straight
		 * back in. Apart, so that nothing loads Spring Security's types without it.
		 */
		private static final class RememberMeTokens {

			static Consumer<String> remover(BeanFactory beanFactory) {
				ObjectProvider<PersistentTokenRepository> repositories = beanFactory
					.getBeanProvider(PersistentTokenRepository.class);
				return (username) -> repositories.orderedStream()
					.forEach((repository) -> repository.removeUserTokens(username));
			}

		}

	}

	/**
	 * Uses the grant of an authentication for one privileged operation with a maximum age
	 * of zero once, in the store itself where Spring Session's Redis and JDBC stores
	 * allow it, so that parallel requests with their own copies of the session cannot
	 * both use it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionRepository.class)
	static class PrivilegeGrantsConfiguration {

		private static final boolean REDIS_PRESENT = ClassUtils.isPresent(
				"org.springframework.session.data.redis.RedisSessionRepository",
				PrivilegeGrantsConfiguration.class.getClassLoader());

		private static final boolean JDBC_PRESENT = ClassUtils.isPresent(
				"org.springframework.session.jdbc.JdbcIndexedSessionRepository",
				PrivilegeGrantsConfiguration.class.getClassLoader());

		@Bean
		@ConditionalOnMissingBean
		PrivilegeGrants sessionTimeoutPrivilegeGrants(ObjectProvider<SessionRepository<?>> repositories,
				ListableBeanFactory beans, Environment environment) {
			SessionRepository<?> repository = repositories.getIfUnique();
			PrivilegeGrants grants = REDIS_PRESENT
					? RedisPrivilegeGrants.of(repository, SpringSessionRedis.namespaceOf(repository, environment))
					: null;
			if (grants == null && JDBC_PRESENT) {
				grants = JdbcPrivilegeGrants.of(repository, beans, environment);
			}
			if (grants != null) {
				return grants;
			}
			if (repository != null && !(repository instanceof MapSessionRepository)) {
				logger.warn("A privileged operation with maxAge 0 is used once per authentication on each node, not"
						+ " once in all: " + repository.getClass().getName() + " is none of Spring Session's Redis"
						+ " and JDBC stores, so parallel requests to two nodes can both use it");
			}
			return new InMemoryPrivilegeGrants();
		}

	}

	/**
	 * Reads a session as Spring Session's store holds it now, for responses that outlive
	 * the decision to serve them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SessionRepository.class)
	@ConditionalOnSingleCandidate(SessionRepository.class)
	static class StoredSessionsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		StoredSessions sessionTimeoutStoredSessions(SessionRepository<?> repository) {
			return new StoredSessions() {

				@Override
				public @Nullable SessionAttributeSource find(String sessionId) {
					Session session = repository.findById(sessionId);
					return (session != null) ? session::getAttribute : null;
				}

				@Override
				public @Nullable Instant lastAccessedTime(String sessionId) {
					Session session = repository.findById(sessionId);
					return (session != null) ? session.getLastAccessedTime() : null;
				}

			};
		}

	}

	/**
	 * Gives Spring Session's cookie the {@code Max-Age} of a persistent policy, and keeps
	 * the cookie of a session that ended in a browser's load of something a page uses.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CookieSerializer.class)
	static class CookieConfiguration {

		@Bean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static BeanPostProcessor sessionTimeoutCookieSerializerPostProcessor() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					return (bean instanceof CookieSerializer) ? SessionCookieSerializerInterceptor.decorate(bean)
							: bean;
				}

			};
		}

		@Bean
		@ConditionalOnMissingBean
		SessionCookieWriter sessionTimeoutCookieWriter(ObjectProvider<CookieSerializer> cookieSerializer) {
			return new SpringSessionCookieWriter(cookieSerializer::getIfUnique, new ContainerSessionCookieWriter());
		}

	}

	/**
	 * Lets both of Spring Session's Redis stores read a session that a concurrent save
	 * left incomplete as one they no longer have, rather than fail the request (on the
	 * indexed store, a revocation's write under an id that a concurrent change of id had
	 * just moved), and read the starter's state without Java deserialization where they
	 * use Java serialization.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisSessionRepository.class)
	static class RedisConfiguration {

		@Bean
		@Order(0)
		SessionRepositoryCustomizer<RedisSessionRepository> sessionTimeoutRedisSessionRepositoryCustomizer(
				ConfigurableListableBeanFactory beanFactory) {
			return (repository) -> {
				repository.setRedisSessionMapper(new IncompleteSessionTolerantRedisSessionMapper());
				JavaSerializedStringRedisSerializer.install(repository.getSessionRedisOperations(), beanFactory);
			};
		}

		@Bean
		@Order(0)
		SessionRepositoryCustomizer<RedisIndexedSessionRepository> sessionTimeoutRedisIndexedRepositoryCustomizer(
				ConfigurableListableBeanFactory beanFactory) {
			return (repository) -> {
				repository.setRedisSessionMapper(new IncompleteSessionTolerantRedisSessionMapper());
				JavaSerializedStringRedisSerializer.install(repository.getSessionRedisOperations(), beanFactory);
			};
		}

	}

	/**
	 * Lets Spring Session's JDBC store read the starter's state without Java
	 * deserialization where it uses its own Java serialization.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(JdbcIndexedSessionRepository.class)
	static class JdbcConfiguration {

		@Bean
		SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTimeoutJdbcSessionRepositoryCustomizer(
				ConfigurableListableBeanFactory beanFactory) {
			return JavaSerializedStringDeserializingConverter.customizer(beanFactory);
		}

	}

}
