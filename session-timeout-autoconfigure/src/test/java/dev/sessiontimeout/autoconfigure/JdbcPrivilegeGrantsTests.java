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

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.support.TransactionTemplate;

import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.testsupport.PostgresServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link JdbcPrivilegeGrants} with Spring Session's JDBC repository, on H2 and
 * PostgreSQL.
 *
 * @author session-timeout
 */
class JdbcPrivilegeGrantsTests {

	private static final long GRANT = 1_700_000_000_123L;

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTwoCopiesOfTheSessionHoldTheGrantThenOnlyTheFirstUsesIt(String database) {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		assertThat(store.grants().use(id, GRANT)).isTrue();
		assertThat(store.grants().use(id, GRANT)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenSixteenRequestsClaimTheGrantAtOnceThenExactlyOneUsesIt(String database) throws Exception {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		ExecutorService requests = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> claims = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				claims.add(requests.submit(() -> {
					start.await();
					return store.grants().use(id, GRANT);
				}));
			}
			start.countDown();
			int used = 0;
			for (Future<Boolean> claim : claims) {
				used += claim.get(30, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(used).isEqualTo(1);
		}
		finally {
			requests.shutdownNow();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTheStoreHoldsTheGrantOfALaterAuthenticationThenAnOlderCopyDoesNotUseIt(String database) {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		// A request read the session with the grant; a step-up of the same session then
		// saved the grant of its later authentication before that request used its copy's
		Session later = store.repository().findById(id);
		later.setAttribute(SessionAttributes.PRIVILEGE_GRANT, String.valueOf(GRANT + 60_000));
		store.repository().save(later);
		assertThat(store.grants().use(id, GRANT)).isFalse();
		assertThat(store.grants().use(id, GRANT + 60_000)).isTrue();
		assertThat(store.grants().use(id, GRANT + 60_000)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTheGrantIsALongAsVersion010WroteItThenOnlyItsOwnGrantUsesItOnce(String database) {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(GRANT);
		assertThat(store.grants().use(id, GRANT + 1)).isFalse();
		assertThat(store.grants().use(id, GRANT)).isTrue();
		assertThat(store.grants().use(id, GRANT)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTheApplicationGivesSpringSessionAConversionServiceThenReadsTheGrantWithIt(String database) {
		GenericConversionService text = new GenericConversionService();
		text.addConverter(Object.class, byte[].class, (source) -> ("text:" + source).getBytes(StandardCharsets.UTF_8));
		text.addConverter(byte[].class, Object.class,
				(source) -> new String(source, StandardCharsets.UTF_8).substring("text:".length()));
		Store store = Store.of(database, text);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		assertThat(store.grants().use(id, GRANT - 1)).isFalse();
		assertThat(store.grants().use(id, GRANT)).isTrue();
		assertThat(store.grants().use(id, GRANT)).isFalse();
	}

	/**
	 * The grant as the starter writes it (with the nonce of its authentication) is used
	 * once by the text that the request's copy holds, not by the grant of another login
	 * in the same millisecond: with Java serialization and with the application's own
	 * conversion service.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTheGrantHoldsTheNonceOfItsAuthenticationThenOnlyThatTextUsesItOnce(String database) {
		GenericConversionService text = new GenericConversionService();
		text.addConverter(Object.class, byte[].class, (source) -> ("text:" + source).getBytes(StandardCharsets.UTF_8));
		text.addConverter(byte[].class, Object.class,
				(source) -> new String(source, StandardCharsets.UTF_8).substring("text:".length()));
		for (Store store : List.of(Store.of(database), Store.of(database, text))) {
			String grant = SessionAttributes.newGrant(GRANT);
			String id = store.sessionWithGrant(grant);
			Instant createdAt = Instant.ofEpochMilli(GRANT);
			assertThat(store.grants().use(id, createdAt, SessionAttributes.newGrant(GRANT))).isFalse();
			assertThat(store.grants().use(id, createdAt, grant)).isTrue();
			assertThat(store.grants().use(id, createdAt, grant)).isFalse();
		}
	}

	/**
	 * A claim made while the application's own transaction runs on the same data source
	 * (a {@code @Transactional} caller of a {@code @RequiresPrivilegedSession} method) is
	 * the store's answer, as on Redis: it is not undone by the application's rollback, so
	 * a grant serves one operation only.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTheApplicationsTransactionRollsBackThenTheGrantStaysUsed(String database) {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		TransactionTemplate application = new TransactionTemplate(new DataSourceTransactionManager(store.dataSource()));
		Boolean used = application.execute((status) -> {
			boolean claimed = store.grants().use(id, GRANT);
			status.setRollbackOnly();
			return claimed;
		});
		assertThat(used).isTrue();
		assertThat(store.grants().use(id, GRANT)).isFalse();
	}

	/**
	 * A claim made while a read-only transaction of the application runs on the same data
	 * source ({@code @Transactional(readOnly = true)}, where PostgreSQL refuses an
	 * {@code UPDATE}) uses the grant all the same.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenTheApplicationsTransactionIsReadOnlyThenUsesTheGrantOnce(String database) {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		TransactionTemplate application = new TransactionTemplate(new DataSourceTransactionManager(store.dataSource()));
		application.setReadOnly(true);
		Boolean used = application.execute((status) -> store.grants().use(id, GRANT));
		assertThat(used).isTrue();
		assertThat(store.grants().use(id, GRANT)).isFalse();
	}

	/**
	 * A claim whose row another transaction holds locked and does not end (the claim of a
	 * request whose connection to the database was lost after it locked the row, which
	 * the database keeps until it notices) fails within a bound, as the store's outage,
	 * as a Redis claim that gets no answer does, instead of holding its request forever;
	 * the grant is still there once the row is free.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void useWhenAnotherTransactionHoldsTheGrantsRowThenFailsWithinABoundAsTheStoresOutage(String database)
			throws Exception {
		Store store = Store.of(database);
		String id = store.sessionWithGrant(String.valueOf(GRANT));
		ExecutorService requests = Executors.newSingleThreadExecutor();
		try (Connection holder = store.dataSource().getConnection()) {
			holder.setAutoCommit(false);
			try (PreparedStatement lock = holder.prepareStatement("UPDATE SPRING_SESSION_ATTRIBUTES"
					+ " SET ATTRIBUTE_NAME = ATTRIBUTE_NAME WHERE ATTRIBUTE_NAME = ? AND SESSION_PRIMARY_ID ="
					+ " (SELECT PRIMARY_ID FROM SPRING_SESSION WHERE SESSION_ID = ?)")) {
				lock.setString(1, SessionAttributes.PRIVILEGE_GRANT);
				lock.setString(2, id);
				assertThat(lock.executeUpdate()).isOne();
			}
			Future<Boolean> claim = requests.submit(() -> store.grants().use(id, GRANT));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> claim.get(30, TimeUnit.SECONDS))
				.satisfies((ex) -> assertThat(StoreFailures.isUnavailable(ex.getCause())).as("%s", ex.getCause())
					.isTrue());
			holder.rollback();
		}
		finally {
			requests.shutdownNow();
		}
		assertThat(store.grants().use(id, GRANT)).isTrue();
	}

	@Test
	void queryTimeoutIsTheApplicationsJdbcQueryTimeoutElseTenSeconds() {
		assertThat(JdbcPrivilegeGrants.queryTimeout(new MockEnvironment())).isEqualTo(Duration.ofSeconds(10));
		assertThat(JdbcPrivilegeGrants
			.queryTimeout(new MockEnvironment().withProperty("spring.jdbc.template.query-timeout", "3")))
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(JdbcPrivilegeGrants
			.queryTimeout(new MockEnvironment().withProperty("spring.jdbc.template.query-timeout", "2m")))
			.isEqualTo(Duration.ofMinutes(2));
		assertThat(JdbcPrivilegeGrants
			.queryTimeout(new MockEnvironment().withProperty("spring.jdbc.template.query-timeout", "0")))
			.isEqualTo(Duration.ofSeconds(10));
	}

	/**
	 * The grants the starter makes for a JDBC repository whose table name the application
	 * set on the repository itself ({@code @EnableJdbcHttpSession(tableName = ...)}, a
	 * {@code SessionRepositoryCustomizer}), not with
	 * {@code spring.session.jdbc.table-name}, claim the grant in the tables that the
	 * repository keeps the session in.
	 */
	@Test
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void useWhenTheApplicationSetTheTableNameOnTheRepositoryThenTheStartersGrantsUseTheGrant() throws Exception {
		DataSource dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		String schema = new ClassPathResource("org/springframework/session/jdbc/schema-h2.sql")
			.getContentAsString(StandardCharsets.UTF_8)
			.replace("SPRING_SESSION", "APP_SESSION");
		new ResourceDatabasePopulator(new ByteArrayResource(schema.getBytes(StandardCharsets.UTF_8)))
			.execute(dataSource);
		JdbcIndexedSessionRepository repository = new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
		repository.setTableName("APP_SESSION");
		Session session = ((SessionRepository) repository).createSession();
		session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, String.valueOf(GRANT));
		((SessionRepository) repository).save(session);
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("dataSource", dataSource);
		JdbcPrivilegeGrants grants = JdbcPrivilegeGrants.of(repository, beans, new MockEnvironment());
		assertThat(grants).isNotNull();
		assertThat(grants.use(session.getId(), GRANT)).isTrue();
		assertThat(grants.use(session.getId(), GRANT)).isFalse();
	}

	/**
	 * Spring Session's JDBC repository on a fresh database, with the grants on it.
	 */
	record Store(SessionRepository<Session> repository, JdbcPrivilegeGrants grants, DataSource dataSource) {

		static Store of(String database) {
			return of(database, null);
		}

		@SuppressWarnings({ "unchecked", "rawtypes" })
		static Store of(String database, @Nullable ConversionService conversionService) {
			DataSource dataSource;
			if (database.equals("h2")) {
				dataSource = new SimpleDriverDataSource(new org.h2.Driver(),
						"jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
			}
			else {
				PostgresServers.Database postgres = PostgresServers.newSchema();
				dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), postgres.url(), postgres.user(),
						postgres.password());
			}
			new ResourceDatabasePopulator(
					new ClassPathResource("org/springframework/session/jdbc/schema-" + database + ".sql"))
				.execute(dataSource);
			JdbcIndexedSessionRepository repository = new JdbcIndexedSessionRepository(new JdbcTemplate(dataSource),
					new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
			if (conversionService != null) {
				repository.setConversionService(conversionService);
			}
			return new Store((SessionRepository) repository,
					new JdbcPrivilegeGrants(dataSource, "SPRING_SESSION", conversionService), dataSource);
		}

		String sessionWithGrant(Object grant) {
			Session session = this.repository.createSession();
			session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, grant);
			this.repository.save(session);
			return session.getId();
		}

	}

}
