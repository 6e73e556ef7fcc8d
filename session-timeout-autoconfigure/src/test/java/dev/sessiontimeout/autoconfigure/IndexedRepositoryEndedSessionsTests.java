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
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.users.SpringSessionUserSessions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IndexedRepositoryEndedSessions} with Spring Session's JDBC repository
 * on H2.
 *
 * @author session-timeout
 */
class IndexedRepositoryEndedSessionsTests {

	/**
	 * The records are sessions of the store, indexed under a principal name made of a
	 * hash of what they remember: a user whose name is that value (a free user name, or a
	 * claim the user chooses) must not find them among its sessions, nor revoke them (the
	 * store would drop a record before its end, such as the one that makes every node
	 * refuse the logout tokens of a client whose users are named otherwise, whose key is
	 * known to anyone).
	 */
	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void aUserNamedAsARecordsIndexValueNeitherFindsNorRevokesTheRecord() {
		DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new ResourceDatabasePopulator(new ClassPathResource("org/springframework/session/jdbc/schema-h2.sql"))
			.execute(dataSource);
		FindByIndexNameSessionRepository<Session> repository = (FindByIndexNameSessionRepository) new JdbcIndexedSessionRepository(
				new JdbcTemplate(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
		IndexedRepositoryEndedSessions<?> ended = IndexedRepositoryEndedSessions.of(repository);
		Instant now = Instant.now();
		ended.remember("a-known-key", ExpiryReason.REVOKED, now.plus(Duration.ofDays(366)), now);
		String username = IndexedRepositoryEndedSessions.indexValue("a-known-key");
		SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(),
				Clock.fixed(now, ZoneOffset.UTC), (event) -> {
				});
		SpringSessionUserSessions userSessions = new SpringSessionUserSessions(() -> repository, clocks,
				Clock.fixed(now, ZoneOffset.UTC), (event) -> {
				});
		assertThat(userSessions.find(username)).isEmpty();
		assertThat(userSessions.revokeAll(username)).isZero();
		assertThat(repository
			.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, username)
			.values()).singleElement()
			.satisfies((record) -> assertThat(record.getAttributeNames()).doesNotContain(SessionAttributes.REVOKED_AT));
		assertThat(ended.reasonOf("a-known-key", now)).isEqualTo(ExpiryReason.REVOKED);
	}

	/**
	 * The record of a user's revocations that the store keeps in a text this version
	 * cannot read (another version's, in a rolling upgrade) is read as a record that
	 * cannot be parsed, which ends a login in flight (fail closed), not as no record: the
	 * revocation it records may be one the login's request missed.
	 */
	@Test
	void aRecordOfRevocationsThatCannotBeReadEndsALoginInFlight() {
		FindByIndexNameSessionRepository<Session> repository = h2Repository();
		IndexedRepositoryEndedSessions<?> ended = IndexedRepositoryEndedSessions.of(repository);
		Instant now = Instant.now();
		String key = UserRevocations.key("alice");
		Session record = repository.createSession();
		record.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
				IndexedRepositoryEndedSessions.indexValue(key));
		record.setAttribute(IndexedRepositoryEndedSessions.REASON_ATTRIBUTE, "v2;revoked;" + now.toEpochMilli());
		record.setMaxInactiveInterval(Duration.ofHours(1));
		repository.save(record);
		UserRevocations.Seen login = UserRevocations.Seen.unread("alice", null, now.minusSeconds(2)).read(null);
		assertThat(login.endedBy(ended.entryOf(key, now), "a-session", now)).isTrue();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static FindByIndexNameSessionRepository<Session> h2Repository() {
		DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		new ResourceDatabasePopulator(new ClassPathResource("org/springframework/session/jdbc/schema-h2.sql"))
			.execute(dataSource);
		return (FindByIndexNameSessionRepository) new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
	}

}
