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
package dev.sessiontimeout.stores;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;
import org.springframework.session.web.http.DefaultCookieSerializer;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.testsupport.StoreTestApplication;
import dev.sessiontimeout.testsupport.TestBrowser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store tests for Spring Session stores, whose cookie is {@code SESSION}, holding the
 * Base64-encoded session id.
 */
abstract class AbstractSpringSessionStoreIntegrationTests extends AbstractSessionStoreIntegrationTests {

	@Autowired
	ApplicationContext context;

	@Test
	void springBootsCookieSerializerKeepsItsTypeWhenTheStarterDecoratesIt() {
		DefaultCookieSerializer serializer = this.context.getBean(DefaultCookieSerializer.class);
		assertThat(AopUtils.isAopProxy(serializer)).isTrue();
	}

	/**
	 * Issue 14: the starter's listener of the container's sessions, an
	 * {@code HttpSessionIdListener}, made Tomcat create an event for every request
	 * attribute set or removed, on every request, where Spring Session serves the
	 * sessions and the container's own are never used.
	 */
	@Test
	void theStarterRegistersNoContainerListenerWhereSpringSessionServesTheSessions() {
		assertThat(starterContainerListeners()).isEmpty();
	}

	@Test
	@SuppressWarnings("unchecked")
	void aSessionRevokedLongAfterItsLastRequestIsKeptByTheStoreForTheGraceFromTheRevocation() {
		String user = newUser();
		loginAs(user);
		String id = currentSessionId();
		// Its last request 20 minutes ago, on the store's clock as on the starter's
		SessionRepository<Session> repository = this.context.getBean(SessionRepository.class);
		Session stored = repository.findById(id);
		assertThat(stored).isNotNull();
		stored.setLastAccessedTime(Instant.now().minus(Duration.ofMinutes(20)));
		repository.save(stored);
		shiftTo(this.start.plus(Duration.ofMinutes(20)));
		assertThat(this.context.getBean(UserSessions.class).revokeAll(user)).isOne();
		assertThat(storeExpiry(id)).as("kept after the revocation")
			.isNotNull()
			.isBeforeOrEqualTo(Instant.now().plus(GRACE));
		assertProblem(api(), ExpiryReason.REVOKED);
	}

	/**
	 * A request whose decision fails at the adoption of its session without the starter's
	 * state (its user's policy override fails) is answered {@code 500}, unserved: its
	 * copy of the session is not saved, so the store keeps the session's last access from
	 * before it, and the session, idle since then, ends as idle at its deadline.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void aRequestWhoseAdoptionOfItsSessionFailsSavesNothingOfIt() {
		loginAsUser();
		assertServed(api());
		String id = currentSessionId();
		removeState(id);
		// After the session's creation, which the adoption counts from otherwise
		Instant lastAccess = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		storeLastAccess(id, lastAccess);
		TestBrowser.Response failed = this.browser.get("/api/me", TestBrowser.JSON,
				StoreTestApplication.FAILING_OVERRIDE_HEADER, "on");
		assertThat(failed.status()).as("%s", failed).isEqualTo(500);
		Session stored = this.context.getBean(SessionRepository.class).findById(id);
		assertThat(stored).as("session %s in the store", id).isNotNull();
		assertThat(stored.getLastAccessedTime()).as("the store's last access of the session").isEqualTo(lastAccess);
		shiftTo(lastAccess.plus(IDLE));
		assertProblem(api(), ExpiryReason.IDLE);
	}

	@Override
	@SuppressWarnings("unchecked")
	void storeLastAccess(String sessionId, Instant lastAccessedAt) {
		SessionRepository<Session> repository = this.context.getBean(SessionRepository.class);
		Session stored = repository.findById(sessionId);
		assertThat(stored).isNotNull();
		stored.setLastAccessedTime(lastAccessedAt);
		repository.save(stored);
	}

	@Override
	@SuppressWarnings("unchecked")
	void removeState(String sessionId) {
		SessionRepository<Session> repository = this.context.getBean(SessionRepository.class);
		Session stored = repository.findById(sessionId);
		assertThat(stored).isNotNull();
		assertThat(stored.<Object>getAttribute(SessionAttributes.STATE)).isNotNull();
		stored.removeAttribute(SessionAttributes.STATE);
		repository.save(stored);
	}

	@Override
	@SuppressWarnings("unchecked")
	TestBrowser storeSession(String username, Map<String, Object> attributes) {
		SessionRepository<Session> repository = this.context.getBean(SessionRepository.class);
		UserDetails user = this.context.getBean(UserDetailsService.class).loadUserByUsername(username);
		Session session = repository.createSession();
		session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, new SecurityContextImpl(
				UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities())));
		attributes.forEach(session::setAttribute);
		repository.save(session);
		TestBrowser browser = new TestBrowser(this.port);
		browser.setCookie(sessionCookieName(),
				Base64.getEncoder().encodeToString(session.getId().getBytes(StandardCharsets.UTF_8)));
		return browser;
	}

	@Override
	String sessionCookieName() {
		return "SESSION";
	}

	@Override
	String sessionId(String cookieValue) {
		return new String(Base64.getDecoder().decode(cookieValue), StandardCharsets.UTF_8);
	}

}
