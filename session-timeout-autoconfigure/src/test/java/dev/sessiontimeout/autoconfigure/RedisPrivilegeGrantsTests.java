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

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisSessionRepository;

import dev.sessiontimeout.internal.session.PrivilegeGrants;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.testsupport.RedisTestConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisPrivilegeGrants} against a real Redis, with Spring Session's two
 * Redis repositories.
 *
 * @author session-timeout
 */
class RedisPrivilegeGrantsTests {

	private static final String NAMESPACE = "session-timeout-grants-" + UUID.randomUUID();

	private static final long AUTHENTICATED_AT = 1_700_000_000_123L;

	private static final String GRANT = SessionAttributes.newGrant(AUTHENTICATED_AT);

	private static final Instant CREATED_AT = Instant.ofEpochMilli(AUTHENTICATED_AT - 60_000);

	private static RedisTestConnection connection;

	private static RedisTemplate<String, Object> redis;

	@BeforeAll
	static void connect() {
		connection = new RedisTestConnection();
		redis = connection.template();
	}

	@AfterAll
	static void disconnect() {
		connection.deleteKeys(NAMESPACE + ":");
		connection.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenTwoCopiesOfTheSessionHoldTheGrantThenOnlyTheFirstUsesIt(String repositoryType) {
		Repository repository = Repository.of(repositoryType);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenTheRequestThatUsedTheGrantSavedItsCopyFirstThenTheOtherCopyDoesNotUseIt(String repositoryType) {
		Repository repository = Repository.of(repositoryType);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		Session first = repository.find(id);
		Session second = repository.find(id);
		assertThat(second.<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT)).isEqualTo(GRANT);
		first.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		repository.save(first);
		second.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
		repository.save(second);
		assertThat(repository.find(id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenTheStoreHoldsTheGrantOfALaterAuthenticationThenAnOlderCopyDoesNotUseIt(String repositoryType) {
		Repository repository = Repository.of(repositoryType);
		String id = repository.sessionWithGrant();
		Session later = repository.find(id);
		String laterGrant = SessionAttributes.newGrant(AUTHENTICATED_AT + 60_000);
		later.setAttribute(SessionAttributes.PRIVILEGE_GRANT, laterGrant);
		repository.save(later);
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
		assertThat(grants.use(id, CREATED_AT, laterGrant)).isTrue();
	}

	/**
	 * A grant that an earlier version wrote (decimal text without a nonce, a {@code Long}
	 * in 0.1.0) is never used (fail closed), and stays in the session, which is not lost.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenTheGrantIsOfAnEarlierVersionThenNoRequestUsesIt(String repositoryType) {
		Repository repository = Repository.of(repositoryType);
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		String text = repository.sessionWithGrant(String.valueOf(AUTHENTICATED_AT));
		assertThat(grants.use(text, CREATED_AT, String.valueOf(AUTHENTICATED_AT))).isFalse();
		assertThat(grants.use(text, AUTHENTICATED_AT)).isFalse();
		String number = repository.sessionWithGrant(AUTHENTICATED_AT);
		assertThat(grants.use(number, AUTHENTICATED_AT)).isFalse();
		assertThat(repository.find(text).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.isEqualTo(String.valueOf(AUTHENTICATED_AT));
		assertThat(repository.find(number).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.isEqualTo(AUTHENTICATED_AT);
	}

	/**
	 * A later login of the session in the same millisecond (a frozen clock in a test, an
	 * identity provider's {@code auth_time} in whole seconds) gives a grant of the same
	 * instant, with a nonce of its own: it serves one request, under a new id or the same
	 * one, although the earlier grant is marked used.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenALaterLoginInTheSameMillisecondGaveANewGrantThenItServesOneRequest(String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		Session login = repository.find(id);
		String renamed = login.changeSessionId();
		String again = SessionAttributes.newGrant(AUTHENTICATED_AT);
		login.setAttribute(SessionAttributes.PRIVILEGE_GRANT, again);
		repository.save(login);
		assertThat(grants.use(renamed, CREATED_AT, again)).isTrue();
		assertThat(grants.use(renamed, CREATED_AT, again)).isFalse();
		Session sameId = repository.find(renamed);
		String third = SessionAttributes.newGrant(AUTHENTICATED_AT);
		sameId.setAttribute(SessionAttributes.PRIVILEGE_GRANT, third);
		repository.save(sameId);
		assertThat(grants.use(renamed, CREATED_AT, third)).isTrue();
		assertThat(grants.use(renamed, CREATED_AT, GRANT)).isFalse();
	}

	/**
	 * The grants the starter makes for a Redis repository whose namespace the application
	 * set on the repository itself ({@code @EnableRedisHttpSession(redisNamespace
	 * = ...)}, a {@code SessionRepositoryCustomizer}), not with
	 * {@code spring.session.data.redis.namespace}, claim the grant where the repository
	 * keeps the session: else no claim ever finds it, and an operation with a maximum age
	 * of zero is refused after every step-up.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void useWhenTheApplicationSetTheNamespaceOnTheRepositoryThenTheStartersGrantsUseTheGrant(String repositoryType) {
		Repository repository = Repository.of(repositoryType);
		String id = repository.sessionWithGrant();
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("sessionRepository", repository.repository());
		PrivilegeGrants grants = new SpringSessionConfigurations.PrivilegeGrantsConfiguration()
			.sessionTimeoutPrivilegeGrants((ObjectProvider) beans.getBeanProvider(SessionRepository.class), beans,
					new MockEnvironment());
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}
	 * ({@code spring.session.data.redis.save-mode=always}), a request that loaded the
	 * session before another one used its grant, and that does not use it itself (any
	 * request of the session running meanwhile), writes back every attribute it loaded as
	 * it saves, the grant included: the grant must not serve a second request.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenACopyLoadedBeforeTheUseSavesAllItsAttributesThenNoOtherRequestUsesTheGrant(String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		Session using = repository.find(id);
		Session running = repository.find(id);
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		repository.save(using);
		repository.save(running);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}, a request that loaded the session
	 * before another one used its grant, and that changes the session's id afterwards
	 * (another tab's step-up), renames the session's hash and writes its copy of the
	 * grant back under the new id: the grant must not serve a request there either.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenACopyLoadedBeforeTheUseChangesTheSessionIdAndSavesAllItsAttributesThenNoRequestUsesTheGrant(
			String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		Session using = repository.find(id);
		Session running = repository.find(id);
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		repository.save(using);
		String renamed = running.changeSessionId();
		repository.save(running);
		assertThat(repository.find(renamed).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.as("the grant the running request wrote back")
			.isEqualTo(GRANT);
		assertThat(grants.use(renamed, CREATED_AT, GRANT)).isFalse();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}, a request that loaded the session
	 * before its grant was used, and that saves after the user signed in again in the
	 * same session (same id) and used the grant of that login, writes the first grant
	 * back, which the mark of the last grant used no longer names: the first grant must
	 * not serve a request again, being older than the grant used last.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenACopyLoadedBeforeTheUseSavesAllItsAttributesAfterALaterLoginUsedItsGrantThenNoRequestUsesTheFirst(
			String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		Session running = repository.find(id);
		Session using = repository.find(id);
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		repository.save(using);
		Session login = repository.find(id);
		String later = SessionAttributes.newGrant(AUTHENTICATED_AT + 60_000);
		login.setAttribute(SessionAttributes.PRIVILEGE_GRANT, later);
		repository.save(login);
		Session usingLater = repository.find(id);
		usingLater.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, later)).isTrue();
		repository.save(usingLater);
		repository.save(running);
		assertThat(repository.find(id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.as("the grant the running request wrote back")
			.isEqualTo(GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}, a request that loaded the session
	 * before its grant was used, and that saves after the user signed in again in the
	 * same session and the same millisecond (an identity provider's {@code auth_time} in
	 * whole seconds) and used the grant of that login, writes the first grant back: of
	 * the millisecond of the grant used last, with another nonce, it must not serve a
	 * request again. With JSON serialization too, whose reader refuses a field that holds
	 * more than one value as the session loads.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed", "json" })
	void useWhenACopyLoadedBeforeTheUseSavesAllItsAttributesAfterALoginInTheSameMillisecondUsedItsGrantThenNoRequestUsesTheFirst(
			String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		Session running = repository.find(id);
		Session using = repository.find(id);
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		repository.save(using);
		Session login = repository.find(id);
		String again = SessionAttributes.newGrant(AUTHENTICATED_AT);
		login.setAttribute(SessionAttributes.PRIVILEGE_GRANT, again);
		repository.save(login);
		Session usingAgain = repository.find(id);
		usingAgain.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, CREATED_AT, again)).isTrue();
		repository.save(usingAgain);
		repository.save(running);
		assertThat(repository.find(id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.as("the grant the running request wrote back")
			.isEqualTo(GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
		assertThat(grants.use(id, CREATED_AT, again)).isFalse();
	}

	/**
	 * The grants used in one millisecond are marked a handful at most: a login in that
	 * millisecond beyond them gets no use (fail closed), a login of a later millisecond
	 * does, and its mark replaces them all. The mark the version before reads holds one
	 * grant of the marked millisecond, each other field one grant too, so that the
	 * session's serializer reads every field of its hash.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenMoreLoginsThanTheMarksHoldUsedGrantsInOneMillisecondThenTheNextIsRefusedUntilALaterMillisecond(
			String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		String key = NAMESPACE + ":sessions:" + id;
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		for (String field : RedisPrivilegeGrants.SAME_MILLISECOND_FIELDS) {
			String again = repository.login(id, AUTHENTICATED_AT);
			assertThat(grants.use(id, CREATED_AT, again)).isTrue();
			assertThat(redis.opsForHash().get(key, field)).isEqualTo(again);
		}
		assertThat(redis.opsForHash().get(key, RedisPrivilegeGrants.USED_FIELD)).isEqualTo(GRANT);
		String beyond = repository.login(id, AUTHENTICATED_AT);
		assertThat(grants.use(id, CREATED_AT, beyond)).isFalse();
		assertThat(repository.find(id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT)).isEqualTo(beyond);
		String later = repository.login(id, AUTHENTICATED_AT + 1);
		assertThat(grants.use(id, CREATED_AT, later)).isTrue();
		assertThat(redis.opsForHash().get(key, RedisPrivilegeGrants.USED_FIELD)).isEqualTo(later);
		for (String field : RedisPrivilegeGrants.SAME_MILLISECOND_FIELDS) {
			assertThat(redis.opsForHash().hasKey(key, field)).as(field).isFalse();
		}
		String laterAgain = repository.login(id, AUTHENTICATED_AT + 1);
		assertThat(grants.use(id, CREATED_AT, laterAgain)).isTrue();
		assertThat(grants.use(id, CREATED_AT, beyond)).isFalse();
	}

	/**
	 * A field of a same-millisecond mark that holds a grant of another millisecond than
	 * the mark's (left by a node of the version before, which replaced only the mark) is
	 * free: it neither refuses a grant nor counts against the bound.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenTheFieldsOfTheMarkHoldGrantsOfAnEarlierMillisecondThenALoginInTheMarkedOneUsesItsGrant(
			String repositoryType) {
		Repository repository = Repository.of(repositoryType, SaveMode.ALWAYS);
		String id = repository.sessionWithGrant();
		String key = NAMESPACE + ":sessions:" + id;
		for (String field : RedisPrivilegeGrants.SAME_MILLISECOND_FIELDS) {
			redis.opsForHash().put(key, field, SessionAttributes.newGrant(AUTHENTICATED_AT - 1));
		}
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		redis.opsForHash().put(key, RedisPrivilegeGrants.USED_FIELD, SessionAttributes.newGrant(AUTHENTICATED_AT));
		assertThat(grants.use(id, CREATED_AT, GRANT)).isTrue();
		assertThat(redis.opsForHash().get(key, RedisPrivilegeGrants.SAME_MILLISECOND_FIELDS.get(0))).isEqualTo(GRANT);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
	}

	/**
	 * A mark of the last grant used in which no millisecond can be read (not written by
	 * the starter) tells nothing of which grants are older: no grant is used (fail
	 * closed).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "default", "indexed" })
	void useWhenTheMarkOfTheLastGrantUsedHoldsNoMillisecondThenNoRequestUsesTheGrant(String repositoryType) {
		Repository repository = Repository.of(repositoryType);
		String id = repository.sessionWithGrant();
		redis.opsForHash().put(NAMESPACE + ":sessions:" + id, RedisPrivilegeGrants.USED_FIELD, "unreadable");
		RedisPrivilegeGrants grants = RedisPrivilegeGrants.of(repository.repository(), NAMESPACE);
		assertThat(grants.use(id, CREATED_AT, GRANT)).isFalse();
		assertThat(repository.find(id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT)).isEqualTo(GRANT);
	}

	/**
	 * One of Spring Session's Redis repositories, on the namespace of this test.
	 */
	record Repository(SessionRepository<Session> repository) {

		static Repository of(String type) {
			return of(type, SaveMode.ON_SET_ATTRIBUTE);
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		static Repository of(String type, SaveMode saveMode) {
			if (type.equals("json")) {
				RedisTemplate<String, Object> json = new RedisTemplate<>();
				json.setKeySerializer(RedisSerializer.string());
				json.setHashKeySerializer(RedisSerializer.string());
				json.setValueSerializer(new GenericJacksonJsonRedisSerializer(JsonMapper.builder().build()));
				json.setHashValueSerializer(json.getValueSerializer());
				json.setConnectionFactory(redis.getConnectionFactory());
				json.afterPropertiesSet();
				RedisSessionRepository plain = new RedisSessionRepository(json);
				plain.setRedisKeyNamespace(NAMESPACE);
				plain.setSaveMode(saveMode);
				return new Repository((SessionRepository) plain);
			}
			if (type.equals("indexed")) {
				RedisIndexedSessionRepository indexed = new RedisIndexedSessionRepository(redis);
				indexed.setRedisKeyNamespace(NAMESPACE);
				indexed.setSaveMode(saveMode);
				return new Repository((SessionRepository) indexed);
			}
			RedisSessionRepository plain = new RedisSessionRepository(redis);
			plain.setRedisKeyNamespace(NAMESPACE);
			plain.setSaveMode(saveMode);
			return new Repository((SessionRepository) plain);
		}

		String sessionWithGrant() {
			return sessionWithGrant(GRANT);
		}

		String sessionWithGrant(Object grant) {
			Session session = this.repository.createSession();
			session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, grant);
			this.repository.save(session);
			return session.getId();
		}

		/**
		 * Sign the user in again in the session, which keeps its id.
		 * @param id the session's id
		 * @param authenticatedAt the epoch millisecond of the authentication
		 * @return the grant of the login, written to the session
		 */
		String login(String id, long authenticatedAt) {
			Session session = find(id);
			String grant = SessionAttributes.newGrant(authenticatedAt);
			session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, grant);
			save(session);
			return grant;
		}

		Session find(String id) {
			Session session = this.repository.findById(id);
			assertThat(session).as("session %s", id).isNotNull();
			return session;
		}

		void save(Session session) {
			this.repository.save(session);
		}

	}

}
