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

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.RememberMeAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.util.SimpleMethodInvocation;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.internal.policy.PolicyCodec;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.Limits;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.internal.web.PassiveRequestMatcher;
import dev.sessiontimeout.internal.web.PathPatterns;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link PrivilegedSessionAuthorizationManager}: the global privileged age is
 * 15m, the user authenticated at 10:00.
 *
 * @author session-timeout
 */
class PrivilegedSessionAuthorizationManagerTests {

	private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

	private static final Duration MILLI = Duration.ofMillis(1);

	private static final Duration PRIVILEGED_AGE = Duration.ofMinutes(15);

	private static final SessionTimeoutPolicy GLOBAL = new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
			Duration.ofHours(12), Duration.ofMinutes(30), null, PRIVILEGED_AGE);

	private final MutableClock clock = new MutableClock();

	private final SessionTimeoutSettings settings = mock(SessionTimeoutSettings.class);

	private final ServletSessionClocks sessionClocks = sessionClocks();

	private final PrivilegedSessionAuthorizationManager manager = new PrivilegedSessionAuthorizationManager(
			() -> this.sessionClocks);

	private final MockHttpSession session = new MockHttpSession();

	PrivilegedSessionAuthorizationManagerTests() {
		this.clock.fixAt(START);
		given(this.settings.getDefaultPolicy()).willReturn(GLOBAL);
		given(this.settings.policyFor(anyCollection(), anyBoolean()))
			.willAnswer((invocation) -> this.settings.getDefaultPolicy());
		given(this.settings.getLimits()).willReturn(Limits.NONE);
		given(this.settings.storedPolicy(anyString()))
			.willAnswer((invocation) -> PolicyCodec.decode(invocation.getArgument(0)));
	}

	/**
	 * The session clocks as the manager reads them: on the shared clock, with Spring
	 * Security's view of the session.
	 */
	private ServletSessionClocks sessionClocks() {
		SessionClocks clocks = new SessionClocks(this.settings, this.clock, (event) -> {
		});
		clocks.setPrincipalResolver((session) -> "alice");
		ServletSessionClocks servletClocks = new ServletSessionClocks(clocks, "/login?expired={reason}",
				new PassiveRequestMatcher(PathPatterns.NONE, List.of()));
		servletClocks.setAuthenticationSupport(
				new SecuritySessionAuthenticationSupport(() -> null, new HttpSessionRequestCache(), List.of(),
						() -> null, new AuthenticationPolicies(this.settings, List.of())));
		return servletClocks;
	}

	@AfterEach
	void resetRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	private static FactorGrantedAuthority factor(String authority, Instant issuedAt) {
		return FactorGrantedAuthority.withAuthority(authority).issuedAt(issuedAt).build();
	}

	private static Authentication password(Instant issuedAt) {
		return authenticated(factor(FactorGrantedAuthority.PASSWORD_AUTHORITY, issuedAt));
	}

	private static Authentication authenticated(GrantedAuthority... factors) {
		List<GrantedAuthority> authorities = new ArrayList<>(List.of(factors));
		authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
		return UsernamePasswordAuthenticationToken.authenticated("alice", null, authorities);
	}

	private static Authentication rememberedMe(Instant issuedAt) {
		return new RememberMeAuthenticationToken("key", "alice", List
			.of(factor(FactorGrantedAuthority.PASSWORD_AUTHORITY, issuedAt), new SimpleGrantedAuthority("ROLE_USER")));
	}

	private MockHttpServletRequest inRequest(@Nullable MockHttpSession session) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/account/export");
		request.setSession(session);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		return request;
	}

	private MockHttpServletRequest inSessionAuthenticatedAt(Instant authenticatedAt, Authentication authentication) {
		SessionAttributes.write(new HttpSessionAccess(this.session),
				new SessionTimeline(START.minus(Duration.ofHours(1)), authenticatedAt, authenticatedAt), null);
		this.session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(authentication));
		return inRequest(this.session);
	}

	private void at(Duration sinceStart) {
		this.clock.fixAt(START.plus(sinceStart));
	}

	private PrivilegedSessionDecision authorize(@Nullable Authentication authentication, String operation) {
		return authorize(authentication, new Operations(), operation);
	}

	private PrivilegedSessionDecision authorize(@Nullable Authentication authentication, Object target,
			String operation) {
		Method method = ReflectionUtils.findMethod(target.getClass(), operation);
		assertThat(method).as(operation).isNotNull();
		MethodInvocation invocation = new SimpleMethodInvocation(target, method);
		return this.manager.authorize(() -> authentication, invocation);
	}

	private static void assertDenied(PrivilegedSessionDecision decision, String factorAuthority, Duration maxAge) {
		assertThat(decision.isGranted()).isFalse();
		assertThat(decision.getMaxAge()).isEqualTo(maxAge);
		assertThat(decision.getFactorErrors()).singleElement().satisfies((error) -> {
			assertThat(error.isExpired()).isTrue();
			assertThat(error.getRequiredFactor().getAuthority()).isEqualTo(factorAuthority);
			assertThat(error.getRequiredFactor().getValidDuration()).isEqualTo(maxAge);
		});
	}

	private static void assertGranted(PrivilegedSessionDecision decision, Duration maxAge) {
		assertThat(decision.isGranted()).isTrue();
		assertThat(decision.getMaxAge()).isEqualTo(maxAge);
		assertThat(decision.getFactorErrors()).isEmpty();
	}

	@Test
	void authorizeWhenABearerTokenThenItsAuthTimeDecidesNotTheBearerFactorStampedOnArrival() {
		at(PRIVILEGED_AGE.minus(MILLI));
		assertGranted(bearerAuthorize(jwt(START)), PRIVILEGED_AGE);
		at(PRIVILEGED_AGE);
		assertDenied(bearerAuthorize(jwt(START)), FactorGrantedAuthority.BEARER_AUTHORITY, PRIVILEGED_AGE);
		at(PRIVILEGED_AGE.plus(MILLI));
		assertDenied(bearerAuthorize(jwt(START)), FactorGrantedAuthority.BEARER_AUTHORITY, PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenABearerTokenHasNoAuthTimeThenNeverPrivilegedEvenWithTheAgeDisabled() {
		assertDenied(bearerAuthorize(jwt(null)), FactorGrantedAuthority.BEARER_AUTHORITY, PRIVILEGED_AGE);
		given(this.settings.getDefaultPolicy()).willReturn(new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
				GLOBAL.absolute(), GLOBAL.idle(), GLOBAL.reauthentication(), null));
		assertThat(bearerAuthorize(jwt(null)).isGranted()).isFalse();
	}

	@Test
	void authorizeWhenAnIntrospectedTokenThenItsAuthTimeInSecondsDecides() {
		Map<String, Object> attributes = Map.of("sub", "alice", BearerTokenLoginFlow.AUTH_TIME, START.getEpochSecond());
		OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "opaque",
				START.plus(PRIVILEGED_AGE), START.plus(Duration.ofHours(1)));
		List<GrantedAuthority> authorities = List
			.of(factor(FactorGrantedAuthority.BEARER_AUTHORITY, START.plus(PRIVILEGED_AGE)));
		Authentication introspected = new BearerTokenAuthentication(
				new OAuth2IntrospectionAuthenticatedPrincipal(attributes, authorities), token, authorities);
		at(PRIVILEGED_AGE.minus(MILLI));
		assertGranted(bearerAuthorize(introspected), PRIVILEGED_AGE);
		at(PRIVILEGED_AGE);
		assertDenied(bearerAuthorize(introspected), FactorGrantedAuthority.BEARER_AUTHORITY, PRIVILEGED_AGE);
	}

	/**
	 * A JWT access token as Spring Security's resource server authenticates it: its
	 * bearer factor issued at the current instant, whenever the user authenticated.
	 */
	private Authentication jwt(@Nullable Instant authTime) {
		Jwt.Builder jwt = Jwt.withTokenValue("token")
			.header("alg", "RS256")
			.subject("alice")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(Duration.ofHours(1)));
		if (authTime != null) {
			jwt.claim(BearerTokenLoginFlow.AUTH_TIME, authTime);
		}
		return new JwtAuthenticationToken(jwt.build(),
				List.of(factor(FactorGrantedAuthority.BEARER_AUTHORITY, this.clock.instant())));
	}

	private PrivilegedSessionDecision bearerAuthorize(Authentication authentication) {
		Method method = ReflectionUtils.findMethod(Operations.class, "policyAge");
		assertThat(method).isNotNull();
		return new PrivilegedSessionAuthorizationManager(() -> this.sessionClocks,
				() -> List.of(new BearerTokenLoginFlow()))
			.authorize(() -> authentication, new SimpleMethodInvocation(new Operations(), method));
	}

	@Test
	void authorizeWhenNoRequestAndTheFactorIsJustYoungerThanThePrivilegedAgeThenGranted() {
		at(PRIVILEGED_AGE.minus(MILLI));
		assertGranted(authorize(password(START), "policyAge"), PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenNoRequestAndTheFactorIsExactlyThePrivilegedAgeThenDenied() {
		at(PRIVILEGED_AGE);
		assertDenied(authorize(password(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenNoRequestAndTheFactorIsJustOlderThanThePrivilegedAgeThenDenied() {
		at(PRIVILEGED_AGE.plus(MILLI));
		assertDenied(authorize(password(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenARequestWithoutASessionThenTheFactorDecides() {
		inRequest(null);
		at(PRIVILEGED_AGE.minus(MILLI));
		assertGranted(authorize(password(START), "policyAge"), PRIVILEGED_AGE);
		at(PRIVILEGED_AGE);
		assertDenied(authorize(password(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenSeveralFactorsThenTheNewestDecides() {
		Authentication authentication = authenticated(
				factor(FactorGrantedAuthority.PASSWORD_AUTHORITY, START.minus(Duration.ofHours(1))),
				factor(FactorGrantedAuthority.OTT_AUTHORITY, START),
				factor(FactorGrantedAuthority.WEBAUTHN_AUTHORITY, START.minus(Duration.ofMinutes(30))));
		at(PRIVILEGED_AGE.minus(MILLI));
		assertGranted(authorize(authentication, "policyAge"), PRIVILEGED_AGE);
		at(PRIVILEGED_AGE);
		assertDenied(authorize(authentication, "policyAge"), FactorGrantedAuthority.OTT_AUTHORITY, PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenNoRequestAndNoFactorThenDeniedAsAPasswordFactor() {
		assertDenied(authorize(authenticated(), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenTheAnnotationSetsAShorterMaxAgeThenItDecidesInsteadOfThePolicy() {
		Duration fiveMinutes = Duration.ofMinutes(5);
		at(fiveMinutes.minus(MILLI));
		assertGranted(authorize(password(START), "fiveMinutes"), fiveMinutes);
		at(fiveMinutes);
		assertDenied(authorize(password(START), "fiveMinutes"), FactorGrantedAuthority.PASSWORD_AUTHORITY, fiveMinutes);
	}

	@Test
	void authorizeWhenTheAnnotationSetsALongerMaxAgeThenItDecidesInsteadOfThePolicy() {
		Duration oneHour = Duration.ofHours(1);
		at(oneHour.minus(MILLI));
		assertGranted(authorize(password(START), "oneHour"), oneHour);
		at(oneHour);
		assertDenied(authorize(password(START), "oneHour"), FactorGrantedAuthority.PASSWORD_AUTHORITY, oneHour);
	}

	@Test
	void authorizeWhenTheTypeIsAnnotatedThenItsMaxAgeAppliesUnlessTheMethodSetsItsOwn() {
		at(Duration.ofMinutes(10).minus(MILLI));
		assertGranted(authorize(password(START), new PrivilegedType(), "inherited"), Duration.ofMinutes(10));
		assertDenied(authorize(password(START), new PrivilegedType(), "own"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				Duration.ofMinutes(1));
	}

	@Test
	void authorizeWhenAnotherThreadHasTheAuthenticationOfAServedSessionThenThatSessionsPolicyAndTimeDecide() {
		this.sessionClocks.getClocks().getPrivilegedOperations().found(null);
		Authentication fromSession = password(START.minus(Duration.ofHours(1)));
		MockHttpServletRequest request = inSessionAuthenticatedAt(START, fromSession);
		Duration twoMinutes = Duration.ofMinutes(2);
		SessionAttributes.writePolicy(HttpSessionAccess.of(this.session),
				GLOBAL.withName("unknown-device").withPrivilegedMaxAge(twoMinutes));
		this.sessionClocks.served(this.session,
				this.sessionClocks.decide(request, new MockHttpServletResponse(), this.session));
		RequestContextHolder.resetRequestAttributes();
		at(twoMinutes.minus(MILLI));
		assertGranted(authorize(fromSession, "policyAge"), twoMinutes);
		assertDenied(authorize(fromSession, "everyCall"), FactorGrantedAuthority.PASSWORD_AUTHORITY, Duration.ZERO);
		Authentication equal = password(START.minus(Duration.ofHours(1)));
		assertThat(equal).isEqualTo(fromSession);
		assertDenied(authorize(equal, "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY, PRIVILEGED_AGE);
		at(twoMinutes);
		assertDenied(authorize(fromSession, "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY, twoMinutes);
	}

	@Test
	void authorizeWhenAnotherThreadCallsAfterTheServedSessionsAbsoluteDeadlineThenDenied() {
		// The absolute deadline at START+5m, long before the authentication at START is
		// 15 minutes old
		Authentication fromSession = password(START);
		SessionAttributes.write(new HttpSessionAccess(this.session),
				new SessionTimeline(START.minus(Duration.ofHours(12)).plus(Duration.ofMinutes(5)), START, START), null);
		this.session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(fromSession));
		servedAndLeft(inRequest(this.session));
		at(Duration.ofMinutes(10));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenAnotherThreadCallsAfterTheServedSessionsIdleDeadlineThenDenied() {
		// Idle 10m, privileged age 15m: no request since START
		idleOfTenMinutes();
		Authentication fromSession = password(START);
		servedAndLeft(inSessionAuthenticatedAt(START, fromSession));
		at(Duration.ofMinutes(12));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenAnotherThreadCallsAfterTheServedSessionsIdleDeadlineButAnotherRequestWasActiveThenGranted() {
		idleOfTenMinutes();
		Authentication fromSession = password(START);
		servedAndLeft(inSessionAuthenticatedAt(START, fromSession));
		// Another request of the session, on another authentication object
		at(Duration.ofMinutes(8));
		MockHttpServletRequest later = inRequest(this.session);
		assertThat(this.sessionClocks.decide(later, new MockHttpServletResponse(), this.session).reason()).isNull();
		RequestContextHolder.resetRequestAttributes();
		// Past the idle deadline the first request knew of, not the session's
		at(Duration.ofMinutes(12));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isTrue();
		at(Duration.ofMinutes(18));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenAnotherThreadCallsAfterTheServedSessionsUserSignedInAgainThenDenied() {
		Authentication fromSession = password(START);
		servedAndLeft(inSessionAuthenticatedAt(START, fromSession));
		at(Duration.ofMinutes(1));
		inSessionAuthenticatedAt(START.plus(Duration.ofMinutes(1)), password(START.plus(Duration.ofMinutes(1))));
		RequestContextHolder.resetRequestAttributes();
		at(Duration.ofMinutes(2));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenAnotherThreadCallsAfterTheServedSessionWasInvalidatedThenDenied() {
		// The user signs out (or the session is revoked) right after the request that
		// handed the call to another thread
		Authentication fromSession = password(START);
		servedAndLeft(inSessionAuthenticatedAt(START, fromSession));
		this.session.invalidate();
		at(Duration.ofMinutes(1));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenThePrivilegedAgeIsDisabledAndAnotherThreadCallsAfterTheServedSessionWasInvalidatedThenDenied() {
		given(this.settings.getDefaultPolicy()).willReturn(GLOBAL.withPrivilegedMaxAge(null));
		Authentication fromSession = password(START);
		servedAndLeft(inSessionAuthenticatedAt(START, fromSession));
		at(Duration.ofMinutes(1));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isTrue();
		this.session.invalidate();
		assertThat(authorize(fromSession, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenTheStoreFailedOnceForAnotherThreadThenTheNextCallAsksItAgain() {
		AtomicBoolean down = new AtomicBoolean();
		this.sessionClocks.setStoredSessions((id) -> {
			if (down.get()) {
				throw new IllegalStateException("store down");
			}
			return this.session::getAttribute;
		});
		Authentication fromSession = password(START);
		servedAndLeft(inSessionAuthenticatedAt(START, fromSession));
		at(Duration.ofSeconds(11));
		down.set(true);
		assertThatIllegalStateException().isThrownBy(() -> authorize(fromSession, "policyAge"));
		down.set(false);
		at(Duration.ofSeconds(30));
		assertThat(authorize(fromSession, "policyAge").isGranted()).isTrue();
	}

	private void idleOfTenMinutes() {
		given(this.settings.getDefaultPolicy()).willReturn(new SessionTimeoutPolicy(SessionTimeoutPolicy.DEFAULT_NAME,
				Duration.ofHours(12), Duration.ofMinutes(10), null, PRIVILEGED_AGE));
	}

	/**
	 * Serve a request from the session in an application with privileged operations, and
	 * leave the thread as another thread finds it.
	 */
	private void servedAndLeft(MockHttpServletRequest request) {
		this.sessionClocks.getClocks().getPrivilegedOperations().found(null);
		SessionDecision decision = this.sessionClocks.decide(request, new MockHttpServletResponse(), this.session);
		assertThat(decision.reason()).isNull();
		this.sessionClocks.served(this.session, decision);
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void authorizeWhenTheApplicationHasNoPrivilegedOperationsThenServedSessionsAreNotRemembered() {
		Authentication fromSession = password(START.minus(Duration.ofHours(1)));
		MockHttpServletRequest request = inSessionAuthenticatedAt(START, fromSession);
		this.sessionClocks.served(this.session,
				this.sessionClocks.decide(request, new MockHttpServletResponse(), this.session));
		assertThat(this.sessionClocks.servedState(fromSession)).isNull();
	}

	@Test
	void authorizeWhenNoRequestAndMaxAgeZeroThenDeniedEvenRightAfterTheAuthentication() {
		assertDenied(authorize(password(START), "everyCall"), FactorGrantedAuthority.PASSWORD_AUTHORITY, Duration.ZERO);
	}

	@Test
	void authorizeWhenRememberedMeThenNeverPrivileged() {
		assertDenied(authorize(rememberedMe(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenRememberedMeAndThePrivilegedAgeIsDisabledThenStillDenied() {
		given(this.settings.getDefaultPolicy()).willReturn(GLOBAL.withPrivilegedMaxAge(null));
		assertDenied(authorize(rememberedMe(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				Duration.ZERO);
	}

	@Test
	void authorizeWhenAnonymousOrNoAuthenticationThenDenied() {
		Authentication anonymous = new AnonymousAuthenticationToken("key", "anonymousUser",
				AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
		assertThat(authorize(anonymous, "policyAge").isGranted()).isFalse();
		assertThat(authorize(null, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenThePrivilegedAgeIsDisabledThenGrantedToAnyAuthenticationThatProvedAFactor() {
		given(this.settings.getDefaultPolicy()).willReturn(GLOBAL.withPrivilegedMaxAge(null));
		at(Duration.ofDays(1));
		assertGranted(authorize(password(START), "policyAge"), Duration.ZERO);
	}

	@Test
	void authorizeWhenTheSessionAuthenticationIsJustYoungerThanThePrivilegedAgeThenGranted() {
		inSessionAuthenticatedAt(START, password(START));
		at(PRIVILEGED_AGE.minus(MILLI));
		assertGranted(authorize(password(START), "policyAge"), PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenTheSessionAuthenticationIsExactlyThePrivilegedAgeThenDenied() {
		inSessionAuthenticatedAt(START, password(START));
		at(PRIVILEGED_AGE);
		assertDenied(authorize(password(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenTheSessionAuthenticationIsJustOlderThanThePrivilegedAgeThenDenied() {
		inSessionAuthenticatedAt(START, password(START));
		at(PRIVILEGED_AGE.plus(MILLI));
		assertDenied(authorize(password(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY,
				PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenASessionThenItsAuthenticationTimeDecidesRatherThanTheFactor() {
		Authentication oldFactor = password(START.minus(Duration.ofHours(1)));
		inSessionAuthenticatedAt(START, oldFactor);
		at(Duration.ofMinutes(10));
		assertGranted(authorize(oldFactor, "policyAge"), PRIVILEGED_AGE);
		Authentication freshFactor = password(START.plus(Duration.ofMinutes(20)));
		inSessionAuthenticatedAt(START, freshFactor);
		at(Duration.ofMinutes(20));
		assertThat(authorize(freshFactor, "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenTheSessionHasAPolicyThenItsPrivilegedAgeAppliesInsteadOfTheGlobalOne() {
		inSessionAuthenticatedAt(START, password(START));
		Duration fiveMinutes = Duration.ofMinutes(5);
		SessionAttributes.writePolicy(HttpSessionAccess.of(this.session),
				GLOBAL.withName("administrators").withPrivilegedMaxAge(fiveMinutes));
		at(fiveMinutes.minus(MILLI));
		assertGranted(authorize(password(START), "policyAge"), fiveMinutes);
		at(fiveMinutes);
		assertDenied(authorize(password(START), "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY, fiveMinutes);
	}

	@Test
	void authorizeWhenTheSessionHasAPolicyAndTheAnnotationAMaxAgeThenTheAnnotationDecides() {
		inSessionAuthenticatedAt(START, password(START));
		SessionAttributes.writePolicy(HttpSessionAccess.of(this.session),
				GLOBAL.withName("administrators").withPrivilegedMaxAge(Duration.ofMinutes(1)));
		at(Duration.ofMinutes(5).minus(MILLI));
		assertGranted(authorize(password(START), "fiveMinutes"), Duration.ofMinutes(5));
	}

	@Test
	void authorizeWhenTheSessionHoldsAnotherUserThenTheCallersOwnAuthenticationDecides() {
		Authentication bob = UsernamePasswordAuthenticationToken.authenticated("bob", null,
				List.of(factor(FactorGrantedAuthority.PASSWORD_AUTHORITY, START.plus(Duration.ofMinutes(30)))));
		inSessionAuthenticatedAt(START.plus(Duration.ofMinutes(30)), bob);
		at(Duration.ofMinutes(30));
		assertGranted(authorize(bob, "policyAge"), PRIVILEGED_AGE);
		Authentication aliceAnHourAgo = password(START.minus(Duration.ofMinutes(30)));
		assertDenied(authorize(aliceAnHourAgo, "policyAge"), FactorGrantedAuthority.PASSWORD_AUTHORITY, PRIVILEGED_AGE);
		assertGranted(authorize(password(START.plus(Duration.ofMinutes(29))), "policyAge"), PRIVILEGED_AGE);
	}

	@Test
	void authorizeWhenTheSessionIsRememberedMeThenNeverPrivileged() {
		inSessionAuthenticatedAt(START, rememberedMe(START));
		assertThat(authorize(rememberedMe(START), "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenTheSessionHoldsARememberedMeUserThenNeverPrivilegedWhateverTheCaller() {
		inSessionAuthenticatedAt(START, rememberedMe(START));
		assertThat(authorize(password(START), "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenTheSessionHasNoClocksThenDenied() {
		this.session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY,
				new SecurityContextImpl(password(START)));
		inRequest(this.session);
		assertThat(authorize(password(START), "policyAge").isGranted()).isFalse();
	}

	@Test
	void authorizeWhenMaxAgeZeroThenAFreshAuthenticationServesOneRequest() {
		inSessionAuthenticatedAt(START, password(START));
		this.session.setAttribute(SessionAttributes.PRIVILEGE_GRANT, SessionAttributes.newGrant(START.toEpochMilli()));
		assertGranted(authorize(password(START), "everyCall"), Duration.ZERO);
		assertGranted(authorize(password(START), "everyCall"), Duration.ZERO);
		inRequest(this.session);
		assertDenied(authorize(password(START), "everyCall"), FactorGrantedAuthority.PASSWORD_AUTHORITY, Duration.ZERO);
	}

	@Test
	void authorizeWhenMaxAgeIsNotADurationThenNamesTheMethodAndTheFix() {
		assertThatExceptionOfType(InvalidRequiresPrivilegedSessionException.class)
			.isThrownBy(() -> authorize(password(START), "unparsable"))
			.satisfies((ex) -> {
				assertThat(ex.getAnnotatedElement()).isEqualTo(Operations.class.getDeclaredMethod("unparsable"));
				assertThat(ex.getAttribute()).isEqualTo("maxAge");
				assertThat(ex.getValue()).isEqualTo("soon");
				assertThat(ex.getRule()).isEqualTo("not a session duration");
				assertThat(ex.getFix()).contains("5m", "session-timeout.privileged.max-age");
			});
	}

	@Test
	void authorizeWhenMaxAgeIsNegativeThenRefused() {
		assertThatExceptionOfType(InvalidRequiresPrivilegedSessionException.class)
			.isThrownBy(() -> authorize(password(START), "negative"))
			.satisfies((ex) -> assertThat(ex.getRule()).isEqualTo("a maximum age must not be negative"));
	}

	@Test
	void authorizeWhenMaxAgeIsMinusOneThenRefusedAsNoWayToTurnTheCheckOff() {
		assertThatExceptionOfType(InvalidRequiresPrivilegedSessionException.class)
			.isThrownBy(() -> authorize(password(START), "disabled"))
			.satisfies((ex) -> assertThat(ex.getRule())
				.isEqualTo("a maximum age must not be negative; -1 does not turn the check off"));
	}

	@Test
	void authorizeWhenTheTypeHasABadMaxAgeThenNamesTheType() {
		assertThatExceptionOfType(InvalidRequiresPrivilegedSessionException.class)
			.isThrownBy(() -> authorize(password(START), new BadlyAnnotatedType(), "anything"))
			.satisfies((ex) -> assertThat(ex.getAnnotatedElement()).isEqualTo(BadlyAnnotatedType.class));
	}

	static class Operations {

		@RequiresPrivilegedSession
		void policyAge() {
		}

		@RequiresPrivilegedSession(maxAge = "5m")
		void fiveMinutes() {
		}

		@RequiresPrivilegedSession(maxAge = "1h")
		void oneHour() {
		}

		@RequiresPrivilegedSession(maxAge = "0")
		void everyCall() {
		}

		@RequiresPrivilegedSession(maxAge = "soon")
		void unparsable() {
		}

		@RequiresPrivilegedSession(maxAge = "-5m")
		void negative() {
		}

		@RequiresPrivilegedSession(maxAge = "-1")
		void disabled() {
		}

	}

	@RequiresPrivilegedSession(maxAge = "10m")
	static class PrivilegedType {

		void inherited() {
		}

		@RequiresPrivilegedSession(maxAge = "1m")
		void own() {
		}

	}

	@RequiresPrivilegedSession(maxAge = "ten minutes")
	static class BadlyAnnotatedType {

		void anything() {
		}

	}

}
