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
package dev.sessiontimeout.benchmarks.jmh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.slf4j.LoggerFactory;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.ConfiguredPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.InMemoryEndedSessions;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionRequest;
import dev.sessiontimeout.internal.session.SessionState;

/**
 * The starter's per-request decision, through the public methods of {@link SessionClocks}
 * only (so that the benchmarks outlive changes to how the state is stored), on a session
 * held in a map: no servlet, no Spring Security, no store, no serialization except in
 * {@link #servedActiveRequestJdkSerialized}. The configuration is the load comparison's
 * ({@code absolute=8h}, {@code idle=30m}) plus a policy {@code users} for
 * {@code ROLE_USER} (idle 15m, re-authentication 4h, privileged age 10m), which every
 * signed-in session here holds.
 *
 * @author session-timeout
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionClocksBenchmark {

	static final Instant SIGNED_IN_AT = Instant.parse("2026-11-22T10:00:00Z");

	static final Duration POLICY_IDLE = Duration.ofMinutes(15);

	/**
	 * The common path: an ordinary (non-passive) request of a signed-in session with a
	 * policy, served; the activity is recorded and the store's expiry aimed. The clock
	 * moves on by 1 ms at each reading, so every request sees a later instant.
	 * @param session the session
	 * @return the decision
	 */
	@Benchmark
	public SessionDecision servedActiveRequest(ActiveSession session) {
		return session.clocks.decide(session.session, session.request);
	}

	/**
	 * {@link #servedActiveRequest} plus what a store's save adds to it: the attributes
	 * the decision wrote, JDK-serialized as Spring Session Data Redis and JDBC do by
	 * default. The serialization is of whatever the starter writes, so this follows the
	 * stored format.
	 * @param session the session
	 * @param blackhole takes the decision
	 * @return the bytes of the written names and values
	 */
	@Benchmark
	public long servedActiveRequestJdkSerialized(ActiveSession session, Blackhole blackhole) {
		blackhole.consume(session.clocks.decide(session.session, session.request));
		return session.session.flush();
	}

	/**
	 * A passive request (polling, the status endpoint) of a signed-in session, served
	 * without recording activity; the clock stands still 5 minutes after the sign-in.
	 * @param session the session
	 * @return the decision
	 */
	@Benchmark
	public SessionDecision passiveRequest(QuietSession session) {
		return session.clocks.decide(session.session, session.passiveRequest);
	}

	/**
	 * The status of a signed-in session, as the status endpoint and
	 * {@code SessionTimeouts} read it: no decision, nothing written.
	 * @param session the session
	 * @return the status
	 */
	@Benchmark
	public Optional<SessionStatus> status(QuietSession session) {
		return session.clocks.status(session.session);
	}

	/**
	 * The state of a signed-in session (its timeline and policy), read without a
	 * decision: what the status needs before the principal is looked up.
	 * @param session the session
	 * @return the state
	 */
	@Benchmark
	public @Nullable SessionState state(QuietSession session) {
		return session.clocks.state(session.session);
	}

	/**
	 * A request of a session whose idle deadline has just passed: the session is ended
	 * (remembered as ended, invalidated, an event published to a no-op publisher; the
	 * INFO log line is built but not written). Each invocation ends a fresh copy of the
	 * same signed-in session under a new id, which includes copying its attribute map.
	 * @param session the sessions
	 * @return the decision
	 */
	@Benchmark
	public SessionDecision endedSession(EndingSessions session) {
		return session.clocks.decide(session.next(), session.request);
	}

	/**
	 * A sign-in: the clocks of a new session started (its first request) and the
	 * authentication recorded with the user's policy. Includes creating the session map.
	 * @param session the state
	 * @return the state of the signed-in session
	 */
	@Benchmark
	public SessionState signIn(SigningIn session) {
		InMemorySession signingIn = session.next();
		session.clocks.start(signingIn);
		return session.clocks.recordAuthentication(signingIn, null, session.policy);
	}

	static SessionTimeoutSettings settings() {
		return SessionTimeoutSettings.builder()
			.absolute(Duration.ofHours(8))
			.idle(Duration.ofMinutes(30))
			.policy(new ConfiguredPolicy(0, "users", List.of("ROLE_USER"), null, null, POLICY_IDLE, Duration.ofHours(4),
					Duration.ofMinutes(10), null))
			.build();
	}

	static void quietLogging() {
		if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
			root.setLevel(ch.qos.logback.classic.Level.WARN);
		}
	}

	static void check(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

	/**
	 * The clocks of one benchmark thread, with the policy of its user.
	 */
	@State(Scope.Thread)
	public abstract static class Clocks {

		final BenchmarkClock clock = new BenchmarkClock();

		final SessionClocks clocks;

		final SessionTimeoutPolicy policy;

		final SessionRequest request;

		final SessionRequest passiveRequest;

		/**
		 * What remembers why sessions ended: {@code none}, as the Redis and JDBC stores
		 * cost within a decision (they remember in the store, which is not measured here,
		 * and look nothing up for a served request), or {@code memory}, the in-memory
		 * default of the container's sessions and Spring Session's map, which looks up
		 * every served session by the hash of its id.
		 */
		@Param("none")
		public String endedSessions;

		private long sessions;

		Clocks() {
			quietLogging();
			SessionTimeoutSettings settings = settings();
			this.clocks = new SessionClocks(settings, this.clock, (event) -> {
			});
			this.clocks.setPrincipalResolver((session) -> "user");
			this.policy = settings.policyFor(List.of("ROLE_USER"), false);
			check(this.policy.name().equals("users"), "Expected the policy 'users', not " + this.policy);
			this.request = new SignedInRequest(false, this.policy);
			this.passiveRequest = new SignedInRequest(true, this.policy);
		}

		/**
		 * Give the clocks what remembers why sessions ended; each state's first trial
		 * set-up calls it.
		 */
		void configure() {
			switch (this.endedSessions) {
				case "none" -> this.clocks.setEndedSessions(EndedSessions.NONE);
				case "memory" -> this.clocks.setEndedSessions(new InMemoryEndedSessions());
				default -> throw new IllegalArgumentException(
						"endedSessions must be none or memory, not " + this.endedSessions);
			}
		}

		/**
		 * Sign a new session in at {@link SessionClocksBenchmark#SIGNED_IN_AT}, then set
		 * the clock.
		 * @param then the next reading of the clock
		 * @param stepMillis how far each reading moves the clock on
		 * @return the session
		 */
		InMemorySession signIn(Instant then, long stepMillis) {
			this.clock.set(SIGNED_IN_AT, 0);
			InMemorySession session = next();
			this.clocks.start(session);
			this.clocks.recordAuthentication(session, null, this.policy);
			session.flush();
			this.clock.set(then, stepMillis);
			return session;
		}

		/**
		 * Return a new session, with an id as long as Spring Session's.
		 * @return the session
		 */
		InMemorySession next() {
			return new InMemorySession(nextId(), SIGNED_IN_AT);
		}

		String nextId() {
			return "00000000-0000-0000-0000-" + (100_000_000_000L + this.sessions++);
		}

	}

	/**
	 * A signed-in session whose requests each come 1 ms after the one before. It is
	 * signed in again at every iteration, so that its 8 hours last: an iteration may
	 * serve up to 28.8 million requests, which the tear-down checks.
	 */
	@State(Scope.Thread)
	public static class ActiveSession extends Clocks {

		InMemorySession session;

		@Setup(Level.Trial)
		public void describeWrites() {
			configure();
			InMemorySession probe = signIn(SIGNED_IN_AT.plusSeconds(1), 1);
			SessionDecision decision = this.clocks.decide(probe, this.request);
			check(decision.reason() == null && decision.state() != null, "Expected to serve, not " + decision);
			List<String> written = new ArrayList<>();
			probe.written().forEach(written::add);
			long bytes = probe.flush();
			System.out.println(System.lineSeparator() + "A served request writes " + written.size() + " attribute(s), "
					+ bytes + " bytes of names and JDK-serialized values: " + written);
		}

		@Setup(Level.Iteration)
		public void signIn() {
			this.session = signIn(SIGNED_IN_AT.plusSeconds(1), 1);
		}

		@TearDown(Level.Iteration)
		public void checkServed() {
			check(!this.session.isInvalid() && this.clocks.state(this.session) != null,
					"The session ended during the iteration: shorten the iterations (-r)");
		}

	}

	/**
	 * A signed-in session, 5 minutes after its sign-in, on a clock that stands still.
	 */
	@State(Scope.Thread)
	public static class QuietSession extends Clocks {

		InMemorySession session;

		@Setup(Level.Trial)
		public void signIn() {
			configure();
			this.session = signIn(SIGNED_IN_AT.plus(Duration.ofMinutes(5)), 0);
			SessionDecision decision = this.clocks.decide(this.session, this.passiveRequest);
			check(decision.reason() == null && decision.state() != null, "Expected to serve, not " + decision);
			check(this.clocks.status(this.session).isPresent(), "Expected a status");
		}

	}

	/**
	 * Copies of a signed-in session, on a clock that stands 1 second past its idle
	 * deadline.
	 */
	@State(Scope.Thread)
	public static class EndingSessions extends Clocks {

		private @Nullable InMemorySession template;

		@Setup(Level.Trial)
		public void signIn() {
			configure();
			this.template = signIn(SIGNED_IN_AT.plus(POLICY_IDLE).plusSeconds(1), 0);
			SessionDecision decision = this.clocks.decide(next(), this.request);
			check(decision.reason() == ExpiryReason.IDLE, "Expected the session to end (idle), not " + decision);
		}

		@Override
		InMemorySession next() {
			return (this.template != null) ? this.template.copy(nextId()) : super.next();
		}

	}

	/**
	 * New sessions, signed in on a clock that stands still.
	 */
	@State(Scope.Thread)
	public static class SigningIn extends Clocks {

		@Setup(Level.Trial)
		public void setClock() {
			configure();
			this.clock.set(SIGNED_IN_AT, 0);
			SessionState state = this.clocks.recordAuthentication(next(), null, this.policy);
			check(state.policy().name().equals("users"), "Expected the policy 'users', not " + state.policy());
		}

	}

	/**
	 * A request of a signed-in user: passive or not, never privileged, on a path that
	 * needs an authenticated user.
	 *
	 * @param passive whether it is passive
	 * @param policy the policy of its user
	 */
	record SignedInRequest(boolean passive, SessionTimeoutPolicy policy) implements SessionRequest {

		@Override
		public boolean isPassive() {
			return this.passive;
		}

		@Override
		public boolean isAuthenticated() {
			return true;
		}

		@Override
		public boolean mayBePrivileged() {
			return true;
		}

		@Override
		public boolean requiresAuthentication() {
			return true;
		}

		@Override
		public boolean isPrivilegedPath() {
			return false;
		}

		@Override
		public boolean hasUsedPrivilegeGrant() {
			return false;
		}

		@Override
		public void usePrivilegeGrant() {
		}

		@Override
		public @Nullable SessionTimeoutPolicy authenticatedPolicy() {
			return this.policy;
		}

	}

}
