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
package dev.sessiontimeout.internal.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.BeforeEach;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.testsupport.MutableClock;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionAccess;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.session.UserSessionIndex;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.willCallRealMethod;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;

/**
 * Tests for {@link SessionTimeoutFilter}: one decision per request, on servlet mocks.
 * Absolute 2h, idle 30m, store grace 1m.
 */
class SessionTimeoutFilterTests {

	private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

	private final MutableClock clock = new MutableClock();

	private final List<SessionTimeoutEvent> events = new ArrayList<>();

	private ServletSessionClocks servletClocks;

	private ServletSessionAnswers answers;

	private SessionTimeoutFilter filter;

	@BeforeEach
	void createFilter() {
		this.clock.fixAt(START);
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.build();
		this.filter = filter(settings, List.of("/api/poll"));
	}

	private SessionTimeoutFilter filter(SessionTimeoutSettings settings, List<String> passivePaths) {
		SessionClocks clocks = new SessionClocks(settings, this.clock,
				(event) -> this.events.add((SessionTimeoutEvent) event));
		clocks.setPrincipalResolver((session) -> "alice");
		this.servletClocks = new ServletSessionClocks(clocks, "/login?expired={reason}",
				new PassiveRequestMatcher(PathPatterns.parse(passivePaths), List.of("/session/status")));
		this.answers = new ServletSessionAnswers(clocks, new SessionTimeoutResponder("/login?expired={reason}"));
		return new SessionTimeoutFilter(this.servletClocks, this.answers);
	}

	private MockHttpSession sessionStartedAt(Instant createdAt, Instant lastActivityAt) {
		MockHttpSession session = new MockHttpSession();
		SessionAttributes.write(new HttpSessionAccess(session), new SessionTimeline(createdAt, lastActivityAt, null),
				null);
		return session;
	}

	private MockHttpServletRequest requestForEnded(String sessionId, String accept) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api");
		request.addHeader("Accept", accept);
		request.setRequestedSessionId(sessionId);
		request.setRequestedSessionIdValid(false);
		return request;
	}

	private MockHttpServletRequest pageRequest(String uri, HttpSession session) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.addHeader("Accept", "text/html");
		request.setSession(session);
		return request;
	}

	private MockHttpServletRequest apiRequest(String uri, HttpSession session) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
		request.addHeader("Accept", "application/json");
		request.setSession(session);
		return request;
	}

	/**
	 * A request pays nothing here for remember-me: its beginning is noted only by the
	 * filter right before Spring Security's remember-me login
	 * ({@code PassiveRememberMeFilter}), for a request that it may sign in.
	 */
	@Test
	void doFilterWhenARequestIsFilteredThenItsBeginningIsNotNoted() throws Exception {
		MockHttpServletRequest request = apiRequest("/api", sessionStartedAt(START, START));
		List<Object> noted = new ArrayList<>();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			// Returns what was noted before, and notes it again
			UserRevocations.Begun before = this.servletClocks.begin();
			this.servletClocks.ended(before);
			noted.add((before != null) ? before : "nothing");
		});
		assertThat(noted).containsExactly("nothing");
	}

	/**
	 * A revocation that a request recorded before a sign-in it may make itself (a
	 * password reset's, before its auto-login) dates that sign-in after it; a later,
	 * unrelated request that the container runs on the same thread is no such sign-in:
	 * its own, read as the application's own sign-ins are (no record this JVM wrote is
	 * known to be before it), is dated as any whose instant is unknown, and ended by a
	 * revocation it read that ran at its instant (fail closed), since the thread holds
	 * nothing of the earlier request once that ends.
	 */
	@Test
	void doFilterWhenARequestRecordedARevocationThenItsThreadForgetsItAsTheRequestEnds() throws Exception {
		EndedSessions.Entry revocation = UserRevocations.Everywhere.ALL.entry(START);
		this.filter.doFilter(apiRequest("/api", sessionStartedAt(START, START)), new MockHttpServletResponse(),
				(req, res) -> UserRevocations.recordedHere(revocation, true));
		UserRevocations.Seen later = UserRevocations.Seen.unread("alice", null, new UserRevocations.Begun(START, 0))
			.read(revocation)
			.afterOwnRevocation();
		assertThat(later.at()).as("the later sign-in's instant").isEqualTo(START);
		assertThat(later.endedBy(revocation, "later", START)).as("ended by the revocation").isTrue();
	}

	@Test
	void doFilterWhenTheApplicationChangesTheSessionIdAndItsUsersIndexFailsThenTheSessionIsInvalidated()
			throws Exception {
		SessionClocks clocks = new SessionClocks(SessionTimeoutSettings.builder().build(), this.clock,
				(event) -> this.events.add((SessionTimeoutEvent) event));
		clocks.setPrincipalResolver((session) -> "alice");
		List<String> indexed = new ArrayList<>();
		clocks.setUserSessionIndex(new UserSessionIndex() {

			@Override
			public void add(String username, String sessionId, @Nullable Instant until, Instant now) {
				// Fails as a store's client may, with an IllegalStateException
				indexed.add(sessionId);
				throw new IllegalStateException("The index does not answer");
			}

			@Override
			public Map<String, Instant> sessions(String username, Instant now) {
				return Map.of();
			}

			@Override
			public void remove(String username, Collection<String> sessionIds, Instant now) {
			}

		});
		ServletSessionClocks servletClocks = new ServletSessionClocks(clocks, "/login?expired={reason}",
				new PassiveRequestMatcher(PathPatterns.NONE, List.of()));
		SessionTimeoutFilter filter = new SessionTimeoutFilter(servletClocks,
				new ServletSessionAnswers(clocks, new SessionTimeoutResponder("/login?expired={reason}")));
		MockHttpSession session = sessionStartedAt(START, START);
		MockHttpServletRequest request = apiRequest("/api/rotate", session);
		assertThatIllegalStateException()
			.isThrownBy(() -> filter.doFilter(request, new MockHttpServletResponse(),
					(served, response) -> ((HttpServletRequest) served).changeSessionId()))
			.withMessage("The index does not answer");
		assertThat(indexed).containsExactly(session.getId());
		assertThat(session.isInvalid()).as("a session its user's revocation cannot reach is not kept").isTrue();
	}

	@Test
	void doFilterWhenSessionValidThenRecordsActivityAndAimsStoreExpiry() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(10)));
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(SessionAttributes.read(session::getAttribute).lastActivityAt())
			.isEqualTo(START.plus(Duration.ofMinutes(10)));
		assertThat(session.getMaxInactiveInterval())
			.isEqualTo((int) Duration.ofMinutes(31).minusSeconds(1).toSeconds());
	}

	@Test
	void doFilterWhenTheApplicationAsksForTheServedSessionAgainThenItIsHandedBackWithoutReadingItsState()
			throws Exception {
		AtomicInteger reads = new AtomicInteger();
		AtomicInteger readsByTheApplication = new AtomicInteger(-1);
		MockHttpSession session = new MockHttpSession() {

			@Override
			public Object getAttribute(String name) {
				reads.incrementAndGet();
				return super.getAttribute(name);
			}

		};
		SessionAttributes.write(new HttpSessionAccess(session), new SessionTimeline(START, START, null), null);
		this.clock.fixAt(START.plusSeconds(60));
		List<HttpSession> seen = new ArrayList<>();
		FilterChain chain = (request, response) -> {
			reads.set(0);
			seen.add(((HttpServletRequest) request).getSession(false));
			seen.add(((HttpServletRequest) request).getSession());
			readsByTheApplication.set(reads.get());
		};
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), chain);
		assertThat(seen).containsExactly(session, session);
		assertThat(readsByTheApplication).hasValue(0);
	}

	@Test
	void doFilterWhenTheDecisionReadTheSecurityContextThenTheFilterReadsItOnlyAtTheRequestsEnd() throws Exception {
		AtomicInteger reads = new AtomicInteger();
		MockHttpSession session = new MockHttpSession() {

			@Override
			public Object getAttribute(String name) {
				if ("SPRING_SECURITY_CONTEXT".equals(name)) {
					reads.incrementAndGet();
				}
				return super.getAttribute(name);
			}

		};
		SessionAttributes.write(new HttpSessionAccess(session), new SessionTimeline(START, START, null), null);
		session.setAttribute("SPRING_SECURITY_CONTEXT", "alice's context");
		AtomicInteger readsByTheApplication = new AtomicInteger();
		this.servletClocks.getClocks().setPrincipalResolver((current) -> {
			readsByTheApplication.incrementAndGet();
			return (current.getAttribute("SPRING_SECURITY_CONTEXT") != null) ? "alice" : null;
		});
		this.servletClocks
			.setAuthenticationSupport(new SecurityContextAttributeSupport(readsByTheApplication::incrementAndGet));
		this.clock.fixAt(START.plusSeconds(60));
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).as("served").isNotNull();
		assertThat(readsByTheApplication).as("the decision's resolver and authentication support").hasPositiveValue();
		// The security context as the decision read it is compared at the request's end
		// with the one the session holds then, to tell a switch of user
		assertThat(reads.get() - readsByTheApplication.get()).as("the filter's own reads").isOne();
	}

	/**
	 * A user the application signs in itself (no login the clocks record), into the
	 * session the request was served without one or into one the request creates, gets
	 * the policy of its authentication as the request ends: the store keeps the session
	 * as that policy does (idle 2h), not as the global one (idle 30m).
	 */
	@Test
	void doFilterWhenTheApplicationSignsAUserInWithoutALoginThenTheStoreKeepsTheSessionAsThePolicyOfItsAuthentication()
			throws Exception {
		SessionTimeoutPolicy longer = new SessionTimeoutPolicy("longer", Duration.ofHours(8), Duration.ofHours(2), null,
				null);
		this.servletClocks.getClocks()
			.setPrincipalResolver(
					(current) -> (current.getAttribute("SPRING_SECURITY_CONTEXT") != null) ? "alice" : null);
		this.servletClocks.setAuthenticationSupport(new SecurityContextAttributeSupport(() -> {
		}, longer));
		this.clock.fixAt(START.plus(Duration.ofMinutes(10)));
		FilterChain signIn = (request, response) -> ((HttpServletRequest) request).getSession()
			.setAttribute("SPRING_SECURITY_CONTEXT", "alice's context");
		// Idle 2h from the request's activity, the grace, less a second
		int expected = (int) Duration.ofHours(2).plusMinutes(1).minusSeconds(1).toSeconds();
		MockHttpSession served = sessionStartedAt(START, START);
		this.filter.doFilter(apiRequest("/api", served), new MockHttpServletResponse(), signIn);
		assertThat(served.getMaxInactiveInterval()).as("the served session").isEqualTo(expected);
		assertThat(this.servletClocks.getClocks().policy(new HttpSessionAccess(served)).name()).isEqualTo("longer");
		MockHttpServletRequest withoutSession = new MockHttpServletRequest("GET", "/api");
		this.filter.doFilter(withoutSession, new MockHttpServletResponse(), signIn);
		HttpSession created = withoutSession.getSession(false);
		assertThat(created).isNotNull();
		assertThat(created.getMaxInactiveInterval()).as("the session the request created").isEqualTo(expected);
		assertThat(this.servletClocks.getClocks().policy(new HttpSessionAccess(created)).name()).isEqualTo("longer");
	}

	/**
	 * The sign-in is resolved while the request is still exposed, as its decision was: a
	 * resolution that reads it (a policy override, a principal resolver reading
	 * request-scoped beans) does not fail, and the session is not lost.
	 */
	@Test
	void doFilterWhenTheApplicationSignsAUserInThenTheSignInIsResolvedWithTheRequestExposed() throws Exception {
		this.servletClocks.getClocks().setPrincipalResolver((current) -> {
			if (RequestContextHolder.getRequestAttributes() == null) {
				throw new IllegalStateException("No thread-bound request found");
			}
			return (current.getAttribute("SPRING_SECURITY_CONTEXT") != null) ? "alice" : null;
		});
		SessionTimeoutPolicy longer = new SessionTimeoutPolicy("longer", Duration.ofHours(8), Duration.ofHours(2), null,
				null);
		this.servletClocks.setAuthenticationSupport(new SecurityContextAttributeSupport(() -> {
		}, longer));
		this.clock.fixAt(START.plus(Duration.ofMinutes(10)));
		FilterChain signIn = (request, response) -> ((HttpServletRequest) request).getSession()
			.setAttribute("SPRING_SECURITY_CONTEXT", "alice's context");
		MockHttpSession served = sessionStartedAt(START, START);
		assertThat(RequestContextHolder.getRequestAttributes()).as("the filter exposes the request").isNull();
		this.filter.doFilter(apiRequest("/api", served), new MockHttpServletResponse(), signIn);
		assertThat(served.isInvalid()).isFalse();
		assertThat(this.servletClocks.getClocks().policy(new HttpSessionAccess(served)).name()).isEqualTo("longer");
		assertThat(RequestContextHolder.getRequestAttributes()).as("and no longer after").isNull();
	}

	@Test
	void doFilterWhenAConcurrentRequestInvalidatesASessionTheRequestHasNotSeenRunningThenTheApplicationFindsNoneRatherThanFailing()
			throws Exception {
		AtomicBoolean invalidatedElsewhere = new AtomicBoolean();
		MockHttpSession other = new MockHttpSession() {

			@Override
			public Object getAttribute(String name) {
				if (invalidatedElsewhere.get()) {
					throw new IllegalStateException("getAttribute: Session already invalidated");
				}
				return super.getAttribute(name);
			}

		};
		SessionAttributes.write(new HttpSessionAccess(other), new SessionTimeline(START, START, null), null);
		MockHttpServletRequest original = apiRequest("/api", sessionStartedAt(START, START));
		List<HttpSession> seen = new ArrayList<>();
		FilterChain chain = (request, response) -> {
			// The container hands out a session this request has not decided on, and a
			// concurrent request invalidates it before the starter reads it
			original.setSession(other);
			invalidatedElsewhere.set(true);
			seen.add(((HttpServletRequest) request).getSession(false));
		};
		this.filter.doFilter(original, new MockHttpServletResponse(), chain);
		assertThat(seen).containsExactly((HttpSession) null);
	}

	@Test
	void doFilterWhenAConcurrentRequestEndsTheContainerSessionAfterTheDecisionThenAnswersItAsEndedRatherThanFailing()
			throws Exception {
		MockHttpSession session = new MockHttpSession() {

			@Override
			public void setMaxInactiveInterval(int interval) {
				super.setMaxInactiveInterval(interval);
				// The request was decided; another request ends the session now
				invalidate();
			}

		};
		SessionAttributes.write(new HttpSessionAccess(session), new SessionTimeline(START, START, null), null);
		session.setAttribute("SPRING_SECURITY_CONTEXT", "alice's context");
		this.servletClocks.setAuthenticationSupport(new SecurityContextAttributeSupport(() -> {
		}));
		MockHttpServletRequest request = apiRequest("/api", session);
		request.setRequestedSessionId(session.getId());
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).as("served").isNull();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).contains("\"reason\":\"invalid\"");
	}

	@Test
	void doFilterWhenStreamedResponsesAreNotWatchedThenAServedSessionGoesDownTheChainWithTheContainersRequestAndResponse()
			throws Exception {
		this.filter.setWatchStreamedResponses(false);
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(10)));
		MockHttpServletRequest request = apiRequest("/api", session);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).isSameAs(request);
		assertThat(chain.getResponse()).isSameAs(response);
		assertThat(SessionAttributes.read(session::getAttribute).lastActivityAt())
			.isEqualTo(START.plus(Duration.ofMinutes(10)));
	}

	@Test
	void doFilterWhenStreamedResponsesAreNotWatchedAndTheApplicationReplacesTheServedSessionThenTheNewOneStartsOnTheWayOut()
			throws Exception {
		this.filter.setWatchStreamedResponses(false);
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(10)));
		List<HttpSession> created = new ArrayList<>();
		FilterChain chain = (request, response) -> {
			HttpServletRequest httpRequest = (HttpServletRequest) request;
			httpRequest.getSession().invalidate();
			HttpSession replacement = httpRequest.getSession(true);
			assertThat(SessionAttributes.hasState(replacement::getAttribute)).as("started at creation").isFalse();
			created.add(replacement);
		};
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), chain);
		HttpSession replacement = created.get(0);
		assertThat(SessionAttributes.read(replacement::getAttribute))
			.isEqualTo(SessionTimeline.startingAt(START.plus(Duration.ofMinutes(10))));
		assertThat(replacement.getMaxInactiveInterval())
			.isEqualTo((int) Duration.ofMinutes(31).minusSeconds(1).toSeconds());
	}

	@Test
	void doFilterWhenStreamedResponsesAreNotWatchedThenTheAsynchronousDispatchOfARequestIsStillCheckedAgainstItsSession()
			throws Exception {
		this.filter.setWatchStreamedResponses(false);
		MockHttpSession session = sessionStartedAt(START, START);
		MockHttpServletRequest request = apiRequest("/api", session);
		request.setAsyncSupported(true);
		this.filter.doFilter(request, new MockHttpServletResponse(), (served, response) -> served.startAsync());
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		request.setDispatcherType(DispatcherType.ASYNC);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain dispatched = new MockFilterChain();
		this.filter.doFilter(request, response, dispatched);
		assertThat(dispatched.getRequest()).as("dispatched to the application").isNull();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).contains("\"reason\":\"idle\"");
	}

	@Test
	void doFilterWhenARequestCreatesItsSessionAndGoesAsynchronousThenItsDispatchIsCheckedAgainstThatSession()
			throws Exception {
		assertTheAsynchronousDispatchOfARequestThatCreatesItsSessionIsCheckedAgainstThatSession();
	}

	@Test
	void doFilterWhenARequestCreatesItsSessionAndGoesAsynchronousUnwatchedThenItsDispatchIsCheckedAgainstThatSession()
			throws Exception {
		this.filter.setWatchStreamedResponses(false);
		assertTheAsynchronousDispatchOfARequestThatCreatesItsSessionIsCheckedAgainstThatSession();
	}

	@Test
	void doFilterWhenARequestReplacesItsSessionAndGoesAsynchronousThenItsDispatchIsCheckedAgainstTheNewSession()
			throws Exception {
		for (boolean watchStreamedResponses : new boolean[] { true, false }) {
			this.filter.setWatchStreamedResponses(watchStreamedResponses);
			this.clock.fixAt(START);
			MockHttpSession session = sessionStartedAt(START, START);
			MockHttpServletRequest request = apiRequest("/api/report", session);
			request.setAsyncSupported(true);
			this.filter.doFilter(request, new MockHttpServletResponse(), (served, response) -> {
				// A sign-in that moves the user to a new session, and a deferred result
				((HttpServletRequest) served).getSession().invalidate();
				((HttpServletRequest) served).getSession(true);
				served.startAsync();
			});
			HttpSession created = request.getSession(false);
			assertThat(created).isNotNull().isNotSameAs(session);
			this.clock.fixAt(START.plus(Duration.ofMinutes(29)));
			request.setDispatcherType(DispatcherType.ASYNC);
			MockFilterChain dispatched = new MockFilterChain();
			this.filter.doFilter(request, new MockHttpServletResponse(), dispatched);
			assertThat(dispatched.getRequest())
				.as("dispatched while the new session lives (%s)", watchStreamedResponses)
				.isNotNull();
			this.clock.fixAt(START.plus(Duration.ofMinutes(31)));
			MockHttpServletResponse response = new MockHttpServletResponse();
			dispatched = new MockFilterChain();
			this.filter.doFilter(request, response, dispatched);
			assertThat(dispatched.getRequest()).as("not after its end (%s)", watchStreamedResponses).isNull();
			assertThat(response.getStatus()).isEqualTo(401);
		}
	}

	private void assertTheAsynchronousDispatchOfARequestThatCreatesItsSessionIsCheckedAgainstThatSession()
			throws Exception {
		// No session when the request is decided; the application creates one (a
		// sign-in, say) and returns a deferred result that completes after the new
		// session's idle deadline
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/report");
		request.addHeader("Accept", "application/json");
		request.setAsyncSupported(true);
		this.filter.doFilter(request, new MockHttpServletResponse(), (served, response) -> {
			((HttpServletRequest) served).getSession(true);
			served.startAsync();
		});
		HttpSession created = request.getSession(false);
		assertThat(created).isNotNull();
		assertThat(SessionAttributes.read(created::getAttribute)).isEqualTo(SessionTimeline.startingAt(START));
		this.clock.fixAt(START.plus(Duration.ofMinutes(31)));
		request.setDispatcherType(DispatcherType.ASYNC);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain dispatched = new MockFilterChain();
		this.filter.doFilter(request, response, dispatched);
		assertThat(dispatched.getRequest()).as("dispatched to the application after the session's end").isNull();
		assertThat(response.getStatus()).isEqualTo(401);
	}

	@Test
	void doFilterWhenARequestCreatesItsSessionAndStreamsThenNothingIsWrittenAfterThatSessionsEnd() throws Exception {
		// As above, with a streamed response written after the idle deadline
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/events");
		request.addHeader("Accept", "text/event-stream");
		request.setAsyncSupported(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		jakarta.servlet.ServletResponse[] streamed = new jakarta.servlet.ServletResponse[1];
		this.filter.doFilter(request, response, (served, chainResponse) -> {
			((HttpServletRequest) served).getSession(true);
			streamed[0] = served.startAsync(served, chainResponse).getResponse();
		});
		this.clock.fixAt(START.plus(Duration.ofMinutes(31)));
		java.io.PrintWriter writer = streamed[0].getWriter();
		writer.print("data:after the end\n\n");
		writer.flush();
		assertThat(response.getContentAsString()).doesNotContain("after the end");
	}

	@Test
	void doFilterWhenAbsoluteDeadlineCloserThanIdleThenStoreExpiryFollowsAbsolute() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(110)));
		HttpSessionAccess access = HttpSessionAccess.of(session);
		SessionAttributes.write(access,
				SessionAttributes.read(access).withActivityAt(START.plus(Duration.ofMinutes(100))), null);
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		assertThat(session.getMaxInactiveInterval())
			.isEqualTo((int) Duration.ofMinutes(11).minusSeconds(1).toSeconds());
	}

	@Test
	void doFilterWhenIdleDeadlineReachedThenInvalidatesAnswersAndPublishesOnce() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(apiRequest("/api", session), response, chain);
		assertThat(chain.getRequest()).as("chain not called").isNull();
		assertThat(session.isInvalid()).isTrue();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).contains("\"reason\":\"idle\"");
		assertThat(this.events).singleElement().satisfies((event) -> {
			assertThat(event.getReason()).isEqualTo(ExpiryReason.IDLE);
			assertThat(event.getPrincipal()).isEqualTo("alice");
			assertThat(event.getSessionIdHash()).isEqualTo(SessionIds.hash(session.getId())).hasSize(16);
			assertThat(event.getDeadline()).isEqualTo(START.plus(Duration.ofMinutes(30)));
			assertThat(event.getPolicy()).isEqualTo("default");
			assertThat(event.getTimestamp()).isEqualTo(START.plus(Duration.ofMinutes(30)).toEpochMilli());
		});
	}

	@Test
	void doFilterWhenTheIdOfAnEndedSessionComesAgainWithinTheGraceThenSameReasonAndNoNewEvent() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		this.clock.fixAt(START.plus(Duration.ofMinutes(31)).minusMillis(1));
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(requestForEnded(session.getId(), "application/json"), response, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getContentAsString()).contains("\"reason\":\"idle\"");
		assertThat(this.events).hasSize(1);
	}

	@Test
	void doFilterWhenTheIdOfAnEndedSessionComesAtTheEndOfTheGraceThenInvalid() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		this.clock.fixAt(START.plus(Duration.ofMinutes(31)));
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(requestForEnded(session.getId(), "application/json"), response, new MockFilterChain());
		assertThat(response.getContentAsString()).contains("\"reason\":\"invalid\"");
	}

	@Test
	void doFilterWhenNoStoreGraceThenNothingIsRememberedOfTheEndedSession() throws Exception {
		SessionTimeoutSettings settings = SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(2))
			.idle(Duration.ofMinutes(30))
			.storeGrace(Duration.ZERO)
			.build();
		SessionTimeoutFilter filter = filter(settings, List.of());
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		MockHttpServletResponse response = new MockHttpServletResponse();
		filter.doFilter(requestForEnded(session.getId(), "application/json"), response, new MockFilterChain());
		assertThat(response.getContentAsString()).contains("\"reason\":\"invalid\"");
	}

	@Test
	void doFilterWhenTheApplicationFailsToResolveThePolicyOfASignedInSessionThenFailsTheRequestAndKeepsTheSession()
			throws Exception {
		SessionAuthenticationSupport authentication = mock(SessionAuthenticationSupport.class);
		given(authentication.policyOf(any(), any()))
			.willThrow(new IllegalStateException("No thread-bound request found"));
		this.servletClocks.setAuthenticationSupport(authentication);
		MockHttpSession session = sessionStartedAt(START, START);
		MockFilterChain chain = new MockFilterChain();
		assertThatIllegalStateException()
			.isThrownBy(() -> this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), chain))
			.withMessage("No thread-bound request found");
		assertThat(chain.getRequest()).as("never served").isNull();
		assertThat(session.isInvalid()).as("a failing override ends no session").isFalse();
		assertThat(this.events).isEmpty();
	}

	@Test
	void doFilterWhenTheApplicationResolvesThePolicyThenTheRequestIsExposedToIt() throws Exception {
		SessionAuthenticationSupport authentication = mock(SessionAuthenticationSupport.class);
		given(authentication.policyOf(any(), any())).willAnswer((invocation) -> {
			assertThat(RequestContextHolder.getRequestAttributes()).as("the request, for request-scoped beans")
				.isNotNull();
			return null;
		});
		this.servletClocks.setAuthenticationSupport(authentication);
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(apiRequest("/api", sessionStartedAt(START, START)), new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isNotNull();
		then(authentication).should().policyOf(any(), any());
	}

	@Test
	void doFilterWhenABrowserNavigatesWithAnEndedSessionThenSavesTheRequestForAfterTheLogin() throws Exception {
		SessionAuthenticationSupport authentication = mock(SessionAuthenticationSupport.class);
		willCallRealMethod().given(authentication).writeAnswer(any(), any(), any());
		given(authentication.requiresAuthentication(any())).willReturn(true);
		this.servletClocks.setAuthenticationSupport(authentication);
		this.answers.setAuthenticationSupport(authentication);
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		MockHttpServletRequest request = pageRequest("/orders", session);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getRedirectedUrl()).isEqualTo("/login?expired=idle");
		then(authentication).should()
			.saveRequest(argThat((saved) -> saved.getRequestURI().equals("/orders")), eq(response));
	}

	@Test
	void doFilterWhenABrowserNavigatesToAPublicPageWithAnEndedSessionThenSavesNothingAndDropsTheCookie()
			throws Exception {
		SessionAuthenticationSupport authentication = mock(SessionAuthenticationSupport.class);
		willCallRealMethod().given(authentication).writeAnswer(any(), any(), any());
		this.servletClocks.setAuthenticationSupport(authentication);
		this.answers.setAuthenticationSupport(authentication);
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		MockHttpServletRequest request = requestForEnded(session.getId(), "text/html");
		request.setRequestedSessionIdFromCookie(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getRedirectedUrl()).isEqualTo("/login?expired=idle");
		then(authentication).should(never()).saveRequest(any(), any());
		assertThat(response.getHeader("Set-Cookie")).startsWith("JSESSIONID=;").contains("Max-Age=0");
	}

	@Test
	void doFilterWhenAScriptCallsWithTheIdOfAnEndedSessionThenExpiresTheCookie() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		MockHttpServletRequest request = requestForEnded(session.getId(), "application/json");
		request.setRequestedSessionIdFromCookie(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getHeader("Set-Cookie")).startsWith("JSESSIONID=;").contains("Max-Age=0");
	}

	@Test
	void doFilterWhenSameSessionEndsTwiceThenOneEvent() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		MockHttpSession copy = new MockHttpSession(null, session.getId());
		SessionAttributes.write(new HttpSessionAccess(copy), SessionAttributes.read(session::getAttribute), null);
		this.clock.fixAt(START.plus(Duration.ofHours(2)));
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		this.filter.doFilter(apiRequest("/api", copy), new MockHttpServletResponse(), new MockFilterChain());
		assertThat(this.events).singleElement()
			.extracting(SessionTimeoutEvent::getReason)
			.as("the idle deadline came first")
			.isEqualTo(ExpiryReason.IDLE);
	}

	@Test
	void doFilterWhenSessionEndedOnTheExpiredPageThenInvalidatesAndServesThePage() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofHours(3)));
		MockHttpServletRequest request = apiRequest("/login", session);
		request.setQueryString("expired=idle");
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		assertThat(session.isInvalid()).isTrue();
		assertThat(chain.getRequest()).isNotNull();
		assertThat(this.events).hasSize(1);
	}

	@Test
	void doFilterWhenRequestedSessionIsUnknownThenInvalid() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api");
		request.setRequestedSessionId("gone");
		request.setRequestedSessionIdValid(false);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, response, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getContentAsString()).contains("\"reason\":\"invalid\"");
		assertThat(this.events).as("no session of ours ended").isEmpty();
	}

	@Test
	void doFilterWhenNoSessionThenPassesAndStartsClocksOfSessionCreatedDownstream() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/login");
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		HttpSession created = ((HttpServletRequest) chain.getRequest()).getSession();
		assertThat(SessionAttributes.read(created::getAttribute)).isEqualTo(SessionTimeline.startingAt(START));
		assertThat(created.getMaxInactiveInterval())
			.isEqualTo((int) Duration.ofMinutes(31).minusSeconds(1).toSeconds());
	}

	@Test
	void doFilterWhenSessionPredatesTheStarterThenAdoptsItFromItsCreationTime() throws Exception {
		MockHttpSession session = new MockHttpSession();
		Instant createdAt = Instant.ofEpochMilli(session.getCreationTime());
		this.clock.fixAt(createdAt.plus(Duration.ofMinutes(5)));
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), new MockFilterChain());
		assertThat(SessionAttributes.read(session::getAttribute))
			.isEqualTo(new SessionTimeline(createdAt, createdAt.plus(Duration.ofMinutes(5)), null));
	}

	@Test
	void doFilterWhenPassivePathThenChecksButRecordsNoActivity() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(20)));
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(apiRequest("/api/poll", session), new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(SessionAttributes.read(session::getAttribute).lastActivityAt()).isEqualTo(START);
		assertThat(session.getMaxInactiveInterval())
			.isEqualTo((int) Duration.ofMinutes(11).minusSeconds(1).toSeconds());
	}

	@Test
	void doFilterWhenPassiveHeaderThenRecordsNoActivity() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(20)));
		MockHttpServletRequest request = apiRequest("/api/orders", session);
		request.addHeader(PassiveRequestMatcher.HEADER, "Passive");
		this.filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
		assertThat(SessionAttributes.read(session::getAttribute).lastActivityAt()).isEqualTo(START);
	}

	@Test
	void doFilterWhenPassiveRequestAfterTheIdleDeadlineThenRefused() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(apiRequest("/api/poll", session), response, new MockFilterChain());
		assertThat(response.getContentAsString()).contains("\"reason\":\"idle\"");
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void doFilterWhenSessionInvalidatedConcurrentlyThenInvalid() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api") {

			@Override
			public HttpSession getSession(boolean create) {
				HttpSession current = super.getSession(create);
				if (current != null && !((MockHttpSession) current).isInvalid()) {
					current.invalidate();
				}
				return current;
			}

		};
		request.setSession(session);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, new MockFilterChain());
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).contains("\"reason\":\"invalid\"");
	}

	@Test
	void doFilterWhenServedThenSetsNoRequestAttribute() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		this.clock.fixAt(START.plus(Duration.ofMinutes(10)));
		AttributeRecordingRequest request = new AttributeRecordingRequest("GET", "/api");
		request.addHeader("Accept", "application/json");
		request.setSession(session);
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isNotNull();
		// No bookkeeping of its own dispatch, and the watch over its response only once
		// it goes asynchronous
		assertThat(request.setAttributes()).isEmpty();
	}

	@Test
	void doFilterWhenForwardIncludeOrErrorDispatchThenLetsItThroughUndecided() throws Exception {
		for (DispatcherType dispatcherType : List.of(DispatcherType.FORWARD, DispatcherType.INCLUDE,
				DispatcherType.ERROR)) {
			MockHttpSession session = sessionStartedAt(START, START);
			this.clock.fixAt(START.plus(Duration.ofMinutes(30)));
			MockHttpServletRequest request = apiRequest("/api", session);
			request.setDispatcherType(dispatcherType);
			MockHttpServletResponse response = new MockHttpServletResponse();
			MockFilterChain chain = new MockFilterChain();
			this.filter.doFilter(request, response, chain);
			assertThat(chain.getRequest()).as(dispatcherType.name()).isSameAs(request);
			assertThat(chain.getResponse()).as(dispatcherType.name()).isSameAs(response);
			assertThat(session.isInvalid()).as(dispatcherType.name()).isFalse();
		}
		assertThat(this.events).isEmpty();
	}

	@Test
	void doFilterWhenErrorOrAsyncDispatchEndsThenALoginRecordedInItIsIndexedAndReadsRevocationsAgain()
			throws Exception {
		// As the request's own dispatch does: Spring Security's remember-me may sign
		// the user in on the error page of a request its firewall rejected
		for (DispatcherType dispatcherType : List.of(DispatcherType.ERROR, DispatcherType.ASYNC)) {
			ServletSessionClocks clocks = spy(this.servletClocks);
			SessionTimeoutFilter filter = new SessionTimeoutFilter(clocks, this.answers);
			MockHttpServletRequest request = apiRequest("/error", sessionStartedAt(START, START));
			request.setDispatcherType(dispatcherType);
			MockHttpServletResponse response = new MockHttpServletResponse();
			filter.doFilter(request, response, new MockFilterChain());
			then(clocks).should().indexSaved(request, response);
			MockHttpServletRequest failing = apiRequest("/error", sessionStartedAt(START, START));
			failing.setDispatcherType(dispatcherType);
			IllegalStateException failure = new IllegalStateException("failed");
			assertThatIllegalStateException().isThrownBy(
					() -> filter.doFilter(failing, new MockHttpServletResponse(), (chainRequest, chainResponse) -> {
						throw failure;
					}))
				.isSameAs(failure);
			// Without committing the response, which the container answers
			then(clocks).should().indexSaved(failing, null);
		}
	}

	@Test
	void doFilterWhenErrorOrAsyncDispatchEndsThenAContainerSessionRevokedInItIsKeptForItsRevocationFromNowOn()
			throws Exception {
		// The container counts the session's interval on from the request's end, after
		// these dispatches: as after the request's own, the revocation's store lifetime
		// from now on, not the interval it set from the request before
		int longAgo = (int) Duration.ofMinutes(26).toSeconds();
		for (DispatcherType dispatcherType : List.of(DispatcherType.ERROR, DispatcherType.ASYNC)) {
			for (boolean fails : List.of(false, true)) {
				MockHttpSession session = sessionStartedAt(START, START);
				MockHttpServletRequest request = apiRequest("/error", session);
				request.setDispatcherType(dispatcherType);
				IllegalStateException failure = new IllegalStateException("failed");
				FilterChain revoking = (chainRequest, chainResponse) -> {
					session.setAttribute(SessionAttributes.REVOKED_AT, START.toEpochMilli());
					session.setMaxInactiveInterval(longAgo);
					if (fails) {
						throw failure;
					}
				};
				if (fails) {
					assertThatIllegalStateException()
						.isThrownBy(() -> this.filter.doFilter(request, new MockHttpServletResponse(), revoking))
						.isSameAs(failure);
				}
				else {
					this.filter.doFilter(request, new MockHttpServletResponse(), revoking);
				}
				long kept = this.servletClocks.getClocks()
					.revokedStoreLifetime(new HttpSessionAccess(session))
					.toSeconds();
				assertThat(kept).isLessThan(longAgo);
				assertThat(session.getMaxInactiveInterval()).as("%s, failing: %s", dispatcherType, fails)
					.isEqualTo((int) kept);
			}
		}
	}

	@Test
	void doFilterWhenErrorDispatchOfARequestRunWithoutItsUserThenTheErrorPageGetsTheSessionAsTheRequestSawIt()
			throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		Object authentication = new Object();
		session.setAttribute("SPRING_SECURITY_CONTEXT", authentication);
		ReauthenticationPendingSession pending = new ReauthenticationPendingSession(session, "SPRING_SECURITY_CONTEXT",
				authentication);
		MockHttpServletRequest request = apiRequest("/error", session);
		request.setAttribute(ServletSessionClocks.REAUTHENTICATION_PENDING_ATTRIBUTE,
				new ServletSessionClocks.ServedWithoutUser(Duration.ofMinutes(45), session.getId(),
						new SessionDecision(null, null, null, null), this.servletClocks, pending));
		request.setDispatcherType(DispatcherType.ERROR);
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(request, new MockHttpServletResponse(), chain);
		HttpServletRequest dispatched = (HttpServletRequest) chain.getRequest();
		assertThat(dispatched).isNotSameAs(request);
		assertThat(dispatched.getSession(false)).isSameAs(pending);
		assertThat(dispatched.getSession(false).getAttribute("SPRING_SECURITY_CONTEXT")).isNull();
		assertThat(session.getAttribute("SPRING_SECURITY_CONTEXT")).isSameAs(authentication);
	}

	@Test
	void doFilterWhenTheSessionIsLookedUpThenTheRequestIsExposedAlready() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		List<Object> exposed = new ArrayList<>();
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api") {

			@Override
			public @Nullable HttpSession getSession(boolean create) {
				// A session repository or id resolver of the application may need it
				exposed.add(RequestContextHolder.getRequestAttributes());
				return super.getSession(create);
			}

		};
		request.setSession(session);
		this.filter.doFilter(request, new MockHttpServletResponse(), new MockFilterChain());
		assertThat(exposed).isNotEmpty().doesNotContainNull();
		assertThat(RequestContextHolder.getRequestAttributes()).isNull();
	}

	@Test
	void doFilterWhenTheFirstRequestAfterAnOidcLoginFindsALogoutKeptSinceThenItsSessionEndsRevoked() throws Exception {
		MockHttpSession session = markedSession();
		List<SessionAccess> checked = new ArrayList<>();
		this.servletClocks.setPendingLogoutCheck(() -> (marked, now) -> {
			checked.add(marked);
			marked.setAttribute(SessionAttributes.REVOKED_AT, now.toEpochMilli());
			marked.removeAttribute(SessionAttributes.LOGOUT_CHECK_PENDING);
		});
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(apiRequest("/api", session), response, chain);
		// The session as the decision reads it, not another access of it
		assertThat(checked).singleElement()
			.isInstanceOf(DecidedSession.class)
			.satisfies((access) -> assertThat(((HttpSessionAccess) access).session()).isSameAs(session));
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(401);
		assertThat(response.getContentAsString()).contains("\"reason\":\"revoked\"");
		assertThat(session.isInvalid()).isTrue();
	}

	@Test
	void doFilterWhenTheStoreDoesNotAnswerThePendingLogoutCheckThenServiceUnavailableAndTheSessionKeepsItsMark()
			throws Exception {
		MockHttpSession session = markedSession();
		this.servletClocks.setPendingLogoutCheck(() -> (marked, now) -> {
			throw new DataAccessResourceFailureException("Redis is down");
		});
		MockFilterChain chain = new MockFilterChain();
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(apiRequest("/api", session), response, chain);
		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(503);
		assertThat(session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING)).isNotNull();
	}

	@Test
	void doFilterWhenTheSessionHasNoPendingLogoutCheckThenNoCheckIsAskedFor() throws Exception {
		MockHttpSession session = sessionStartedAt(START, START);
		AtomicInteger asked = new AtomicInteger();
		this.servletClocks.setPendingLogoutCheck(() -> {
			asked.incrementAndGet();
			return null;
		});
		MockFilterChain chain = new MockFilterChain();
		this.filter.doFilter(apiRequest("/api", session), new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isNotNull();
		assertThat(asked).hasValue(0);
	}

	/**
	 * Return a session with running clocks that its OpenID Connect login marked for the
	 * look again at its first request.
	 */
	private MockHttpSession markedSession() {
		MockHttpSession session = sessionStartedAt(START, START);
		session.setAttribute(SessionAttributes.LOGOUT_CHECK_PENDING, Long.toString(START.toEpochMilli()));
		return session;
	}

	/**
	 * Authentication support that finds the session's user in its
	 * {@code SPRING_SECURITY_CONTEXT} attribute, whatever that holds, and challenges
	 * nobody.
	 */
	private static final class SecurityContextAttributeSupport implements SessionAuthenticationSupport {

		private final Runnable onRead;

		private final @Nullable SessionTimeoutPolicy policy;

		SecurityContextAttributeSupport(Runnable onRead) {
			this(onRead, null);
		}

		/**
		 * Support whose authentication gives a session's user the given policy.
		 */
		SecurityContextAttributeSupport(Runnable onRead, @Nullable SessionTimeoutPolicy policy) {
			this.onRead = onRead;
			this.policy = policy;
		}

		@Override
		public @Nullable SessionTimeoutPolicy policyOf(HttpServletRequest request, HttpSession session) {
			if (this.policy == null) {
				return null;
			}
			this.onRead.run();
			return (session.getAttribute("SPRING_SECURITY_CONTEXT") != null) ? this.policy : null;
		}

		@Override
		public boolean isAuthenticated(HttpSession session) {
			this.onRead.run();
			return session.getAttribute("SPRING_SECURITY_CONTEXT") != null;
		}

		@Override
		public boolean mayBePrivileged(HttpSession session) {
			return false;
		}

		@Override
		public boolean requiresAuthentication(HttpServletRequest request) {
			return false;
		}

		@Override
		public boolean answersChallenges(HttpServletRequest request) {
			return false;
		}

		@Override
		public @Nullable String startAuthentication(HttpServletRequest request, HttpServletResponse response,
				HttpSession session) {
			return null;
		}

		@Override
		public String authenticationAttribute() {
			return "SPRING_SECURITY_CONTEXT";
		}

	}

}
