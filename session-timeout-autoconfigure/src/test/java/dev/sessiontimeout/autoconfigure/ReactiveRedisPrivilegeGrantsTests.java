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

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.testsupport.RedisTestConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveRedisPrivilegeGrants} against a real Redis.
 *
 * @author session-timeout
 */
class ReactiveRedisPrivilegeGrantsTests {

	private static final String NAMESPACE = "session-timeout-reactive-grants-" + UUID.randomUUID();

	private static final long AUTHENTICATED_AT = 1_700_000_000_123L;

	private static final String GRANT = SessionAttributes.newGrant(AUTHENTICATED_AT);

	private static RedisTestConnection connection;

	private static ReactiveRedisTemplate<String, Object> redis;

	@BeforeAll
	static void connect() {
		connection = new RedisTestConnection();
		redis = connection.reactiveTemplate();
	}

	@AfterAll
	static void disconnect() {
		connection.deleteKeys(NAMESPACE + ":");
		connection.close();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}, a request that loaded the session
	 * before another one used its grant, and that changes the session's id afterwards
	 * (another tab's step-up), renames the session's hash and writes its copy of the
	 * grant back under the new id: the grant must not serve a request there either.
	 */
	@Test
	void useWhenACopyLoadedBeforeTheUseChangesTheSessionIdAndSavesAllItsAttributesThenNoRequestUsesTheGrant() {
		ReactiveSessionRepository<Session> repository = repository();
		String id = sessionWithGrant(repository);
		ReactiveRedisPrivilegeGrants grants = ReactiveRedisPrivilegeGrants.of(repository, NAMESPACE);
		Session using = repository.findById(id).block();
		Session running = repository.findById(id).block();
		assertThat(using).isNotNull();
		assertThat(running).isNotNull();
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, GRANT).block()).isTrue();
		repository.save(using).block();
		String renamed = running.changeSessionId();
		repository.save(running).block();
		Session saved = repository.findById(renamed).block();
		assertThat(saved).isNotNull();
		assertThat(saved.<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.as("the grant the running request wrote back")
			.isEqualTo(GRANT);
		assertThat(grants.use(renamed, GRANT).block()).isFalse();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}, a request that loaded the session
	 * before its grant was used, and that saves after the user signed in again in the
	 * same session (same id) and used the grant of that login, writes the first grant
	 * back, which the mark of the last grant used no longer names: the first grant must
	 * not serve a request again, being older than the grant used last.
	 */
	@Test
	void useWhenACopyLoadedBeforeTheUseSavesAllItsAttributesAfterALaterLoginUsedItsGrantThenNoRequestUsesTheFirst() {
		ReactiveSessionRepository<Session> repository = repository();
		String id = sessionWithGrant(repository);
		ReactiveRedisPrivilegeGrants grants = ReactiveRedisPrivilegeGrants.of(repository, NAMESPACE);
		Session running = find(repository, id);
		Session using = find(repository, id);
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, GRANT).block()).isTrue();
		repository.save(using).block();
		Session login = find(repository, id);
		String later = SessionAttributes.newGrant(AUTHENTICATED_AT + 60_000);
		login.setAttribute(SessionAttributes.PRIVILEGE_GRANT, later);
		repository.save(login).block();
		Session usingLater = find(repository, id);
		usingLater.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, later).block()).isTrue();
		repository.save(usingLater).block();
		repository.save(running).block();
		assertThat(find(repository, id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.as("the grant the running request wrote back")
			.isEqualTo(GRANT);
		assertThat(grants.use(id, GRANT).block()).isFalse();
	}

	/**
	 * With Spring Session's save mode {@code ALWAYS}, a request that loaded the session
	 * before its grant was used, and that saves after the user signed in again in the
	 * same session and the same millisecond (an identity provider's {@code auth_time} in
	 * whole seconds) and used the grant of that login, writes the first grant back: of
	 * the millisecond of the grant used last, with another nonce, it must not serve a
	 * request again.
	 */
	@Test
	void useWhenACopyLoadedBeforeTheUseSavesAllItsAttributesAfterALoginInTheSameMillisecondUsedItsGrantThenNoRequestUsesTheFirst() {
		ReactiveSessionRepository<Session> repository = repository();
		String id = sessionWithGrant(repository);
		ReactiveRedisPrivilegeGrants grants = ReactiveRedisPrivilegeGrants.of(repository, NAMESPACE);
		Session running = find(repository, id);
		Session using = find(repository, id);
		using.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, GRANT).block()).isTrue();
		repository.save(using).block();
		Session login = find(repository, id);
		String again = SessionAttributes.newGrant(AUTHENTICATED_AT);
		login.setAttribute(SessionAttributes.PRIVILEGE_GRANT, again);
		repository.save(login).block();
		Session usingAgain = find(repository, id);
		usingAgain.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		assertThat(grants.use(id, again).block()).isTrue();
		repository.save(usingAgain).block();
		repository.save(running).block();
		assertThat(find(repository, id).<Object>getAttribute(SessionAttributes.PRIVILEGE_GRANT))
			.as("the grant the running request wrote back")
			.isEqualTo(GRANT);
		assertThat(grants.use(id, GRANT).block()).isFalse();
		assertThat(grants.use(id, again).block()).isFalse();
	}

	private static Session find(ReactiveSessionRepository<Session> repository, String id) {
		Session session = repository.findById(id).block();
		assertThat(session).as("session %s", id).isNotNull();
		return session;
	}

	/**
	 * Spring Session's default reactive Redis repository in save mode {@code ALWAYS}; the
	 * indexed one keeps its sessions in the same hash, claimed by the same script.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static ReactiveSessionRepository<Session> repository() {
		ReactiveRedisSessionRepository plain = new ReactiveRedisSessionRepository(redis);
		plain.setRedisKeyNamespace(NAMESPACE);
		plain.setSaveMode(SaveMode.ALWAYS);
		return (ReactiveSessionRepository) plain;
	}

	private static String sessionWithGrant(ReactiveSessionRepository<Session> repository) {
		Session session = repository.createSession().block();
		assertThat(session).isNotNull();
		session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, GRANT);
		repository.save(session).block();
		return session.getId();
	}

}
