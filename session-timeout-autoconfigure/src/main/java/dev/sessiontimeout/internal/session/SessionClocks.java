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
package dev.sessiontimeout.internal.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.util.Assert;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStatus;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * The one owner of every session's clocks: it reads a session's state (adopting a session
 * it has not seen), decides whether a request may be served, must authenticate again or
 * finds its session ended, records activity and authentications, raises challenges, ends
 * sessions (telling listeners, remembering why, publishing one event), and aims the
 * store's own expiry. It reads "now" in one place, to the millisecond. The web stacks
 * adapt their requests and sessions to it ({@link SessionAccess},
 * {@link SessionRequest}); it knows no servlet or reactive type.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionClocks {

	/**
	 * How long a revoked session without any deadline is remembered as revoked.
	 */
	private static final Duration NO_DEADLINE_REMEMBERED = Duration.ofDays(30);

	private final SessionTimeoutSettings settings;

	private final Clock clock;

	private final SessionPrincipals principals = new SessionPrincipals();

	private final SessionEnds ends;

	private final SessionChallenges challenges;

	private PrivilegedOperations privilegedOperations = new PrivilegedOperations();

	private Predicate<SessionAttributeSource> mayBePrivileged = (session) -> false;

	private final SessionPolicies policies;

	private final SessionDecisions decisions;

	/**
	 * Create a new instance.
	 * @param settings the effective configuration
	 * @param clock the clock of every decision
	 * @param eventPublisher publishes {@link SessionTimeoutEvent}s and
	 * {@link SessionStepUpEvent}s
	 */
	public SessionClocks(SessionTimeoutSettings settings, Clock clock, ApplicationEventPublisher eventPublisher) {
		Assert.notNull(settings, "'settings' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
		this.settings = settings;
		this.clock = clock;
		this.ends = new SessionEnds(settings.getStoreGrace(), clock, eventPublisher, this.principals);
		this.challenges = new SessionChallenges(clock, eventPublisher, this.principals);
		this.policies = new SessionPolicies(settings, this.principals);
		this.decisions = new SessionDecisions(settings, this.ends, this.challenges, this.policies);
	}

	/**
	 * Set what tells whether the authentication a session holds can make it privileged at
	 * all, as the decision of a privileged operation finds
	 * ({@link SessionRequest#mayBePrivileged()}): a status names no
	 * {@code privilegedUntil} for a session that no age of its login makes privileged.
	 * Until a web stack sets it, no session's status names one.
	 * @param mayBePrivileged whether a session's authentication may be privileged
	 */
	public void setMayBePrivileged(Predicate<SessionAttributeSource> mayBePrivileged) {
		Assert.notNull(mayBePrivileged, "'mayBePrivileged' must not be null");
		this.mayBePrivileged = mayBePrivileged;
	}

	/**
	 * Set what tells whose session it is, for events and logs.
	 * @param principalResolver the principal resolver
	 */
	public void setPrincipalResolver(SessionPrincipalResolver principalResolver) {
		Assert.notNull(principalResolver, "'principalResolver' must not be null");
		this.principals.setResolver(principalResolver);
	}

	/**
	 * Set how log lines name the user of a session.
	 * @param principalLogFormat the format
	 */
	public void setPrincipalLogFormat(PrincipalLogFormat principalLogFormat) {
		Assert.notNull(principalLogFormat, "'principalLogFormat' must not be null");
		this.principals.setLogFormat(principalLogFormat);
	}

	/**
	 * Set the listeners told of every session a clock ends, before it is invalidated.
	 * @param sessionEndListeners the listeners
	 */
	public void setSessionEndListeners(List<SessionEndListener> sessionEndListeners) {
		Assert.notNull(sessionEndListeners, "'sessionEndListeners' must not be null");
		this.ends.setSessionEndListeners(sessionEndListeners);
	}

	/**
	 * Set what remembers why sessions ended, for requests that still carry their ids.
	 * @param endedSessions the ended sessions
	 */
	public void setEndedSessions(EndedSessions endedSessions) {
		Assert.notNull(endedSessions, "'endedSessions' must not be null");
		this.ends.setEndedSessions(endedSessions);
	}

	/**
	 * Set the index of each user's sessions that the starter keeps where the store has
	 * none, told of every session a user authenticates in.
	 * @param userSessionIndex the index
	 */
	public void setUserSessionIndex(UserSessionIndex userSessionIndex) {
		Assert.notNull(userSessionIndex, "'userSessionIndex' must not be null");
		this.policies.setUserSessionIndex(userSessionIndex);
	}

	/**
	 * Set what uses the grant of an authentication for one privileged operation with a
	 * maximum age of zero, once.
	 * @param privilegeGrants the privilege grants
	 */
	public void setPrivilegeGrants(PrivilegeGrants privilegeGrants) {
		Assert.notNull(privilegeGrants, "'privilegeGrants' must not be null");
		this.challenges.setPrivilegeGrants(privilegeGrants);
	}

	/**
	 * Set what tells whether privileged operations exist, and whether any has a maximum
	 * age of zero besides those that policies give, so that logins store a grant for
	 * them.
	 * @param privilegedOperations the operations found
	 */
	public void setPrivilegedOperations(PrivilegedOperations privilegedOperations) {
		Assert.notNull(privilegedOperations, "'privilegedOperations' must not be null");
		this.privilegedOperations = privilegedOperations;
		this.challenges.setPrivilegedOperations(privilegedOperations);
	}

	/**
	 * Return what tells which privileged operations exist.
	 * @return the privileged operations
	 */
	public PrivilegedOperations getPrivilegedOperations() {
		return this.privilegedOperations;
	}

	/**
	 * Return the effective configuration.
	 * @return the settings
	 */
	public SessionTimeoutSettings getSettings() {
		return this.settings;
	}

	/**
	 * Return the current instant of the clock of every decision, to the millisecond.
	 * @return the current instant
	 */
	public Instant now() {
		// The instant truncated to the millisecond, as one instant
		return Instant.ofEpochMilli(this.clock.millis());
	}

	/**
	 * Return the state of a session without changing it.
	 * @param session the session
	 * @return the state, or {@code null} if the session has no clocks of this starter
	 */
	public @Nullable SessionState state(SessionAttributeSource session) {
		Instant now = now();
		SessionTimeline timeline = SessionAttributes.read(session, now);
		return (timeline != null) ? new SessionState(timeline, policy(session), now) : null;
	}

	/**
	 * Return the state of a session as {@link #state(SessionAttributeSource)} does, or
	 * {@code null} if it cannot be read (an attribute that no longer deserializes).
	 */
	private @Nullable SessionState readableState(SessionAttributeSource session) {
		try {
			return state(session);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Return the policy of a session: the one it was given when its user authenticated,
	 * lowered to the current limits, else the global one.
	 * @param session the session
	 * @return the policy
	 */
	public SessionTimeoutPolicy policy(SessionAttributeSource session) {
		return this.policies.of(session);
	}

	/**
	 * Return whether the deadlines of a session, as {@link #status} reads them, are those
	 * its next decision counts with: unless it has a user and holds no readable policy of
	 * that user's login, which its next decision resolves from the authentication of its
	 * request (and overrides may adjust with the request), so that they are not known
	 * before.
	 * @param session the session
	 * @return {@code true} if its policy is known without a request
	 */
	public boolean knowsPolicy(SessionAttributeSource session) {
		return this.policies.ofNextDecision(session) != null;
	}

	/**
	 * Return the maximum age of the authentication for a privileged operation of a
	 * session: that of the policy its current user's login gave it; without one (none,
	 * unreadable, another user's) the global one where it is enabled, else zero, never
	 * none: a session that holds no policy of its user is never privileged by a looser
	 * one.
	 * @param session the session
	 * @return the maximum age, {@code null} if the session's policy enables no check
	 */
	public @Nullable Duration privilegedMaxAge(SessionAttributeSource session) {
		return this.policies.privilegedMaxAge(session);
	}

	/**
	 * Return whether a session holds a readable policy of its own: one its user's login
	 * gave it. A signed-in session without one gets the policy of its user's
	 * authentication at its next decision.
	 * @param session the session
	 * @return {@code true} if it holds one
	 */
	public boolean holdsPolicy(SessionAttributeSource session) {
		return this.policies.holds(session);
	}

	/**
	 * Return the identity provider of a session's user: the OAuth 2.0 client registration
	 * it signed in with, {@code null} for a user the application signed in itself (a form
	 * login, say), so that two users of the same name from different providers are told
	 * apart.
	 * @param session the session
	 * @return the provider, or {@code null}
	 */
	public @Nullable String providerOf(SessionAttributeSource session) {
		return this.principals.providerOf(session);
	}

	/**
	 * Return the name of a session's user, {@code null} if it holds none (its user signed
	 * out of it).
	 * @param session the session
	 * @return the name, or {@code null}
	 */
	@Nullable String nameOf(SessionAttributeSource session) {
		return this.principals.nameOf(session);
	}

	/**
	 * Return the name of a session's user as the events of its clocks name it: for a
	 * session revoked with a user's sessions, that user's name only when the session's
	 * own user cannot be read (a session in which an administrator switched to a customer
	 * is the customer's, also when the administrator's sessions are revoked).
	 * @param session the session
	 * @param username the name of the user whose sessions are revoked
	 * @return the name of the session's user, else {@code username}
	 */
	public String principalOf(SessionAttributeSource session, String username) {
		try {
			String principal = this.principals.nameOf(session);
			return (principal != null) ? principal : username;
		}
		catch (RuntimeException ex) {
			// Its security context no longer deserializes: revoked as the user's
			return username;
		}
	}

	/**
	 * Return whether a session is a user's: signed in as that user, or by that user who
	 * then switched to another (an administrator who impersonates a customer), whose
	 * revocation must end it too.
	 * @param session the session
	 * @param username the user's name
	 * @return {@code true} if it is that user's session
	 */
	public boolean isSessionOf(SessionAttributeSource session, String username) {
		return username.equals(this.principals.nameOf(session))
				|| this.principals.switchedFrom(session).contains(username);
	}

	/**
	 * Return whether a session is a user's who signed in with an identity provider:
	 * signed in as that user with that provider, or by that user with that provider who
	 * then switched to another. A user of the same name from another provider is another
	 * user.
	 * @param session the session
	 * @param username the user's name
	 * @param provider the identity provider the user signed in with, {@code null} for a
	 * user the application signed in itself
	 * @return {@code true} if it is that user's session
	 */
	public boolean isSessionOf(SessionAttributeSource session, String username, @Nullable String provider) {
		return usersOf(session).contains(new SessionPrincipalResolver.User(username, provider));
	}

	/**
	 * Return the identity provider with which a user holds a session: that of the
	 * session's user if it is that user, else that of the user's switch to the session's
	 * user.
	 * @param session the session
	 * @param username the user's name
	 * @return the provider, {@code null} for a user the application signed in itself or
	 * one that does not hold the session
	 */
	public @Nullable String providerOf(SessionAttributeSource session, String username) {
		for (SessionPrincipalResolver.User user : usersOf(session)) {
			if (user.name().equals(username)) {
				return user.provider();
			}
		}
		return null;
	}

	/**
	 * Return the users whose session a session is, each with its identity provider: its
	 * own user first, then those who switched to that user, the innermost switch first.
	 */
	private List<SessionPrincipalResolver.User> usersOf(SessionAttributeSource session) {
		SessionPrincipalResolver.User user = this.principals.userOf(session);
		List<SessionPrincipalResolver.User> switchedFrom = this.principals.switchedFromUsers(session);
		if (user == null) {
			return switchedFrom;
		}
		List<SessionPrincipalResolver.User> users = new ArrayList<>(switchedFrom.size() + 1);
		users.add(user);
		users.addAll(switchedFrom);
		return users;
	}

	/**
	 * Return whether a session that a store's own index of sessions by user (JDBC, Redis
	 * {@code indexed}) names a user's is that user's. The index may name users otherwise
	 * than the starter does (a principal resolver of the application's own): a session
	 * whose clocks name another user, and no switch from this one, is not this one's. One
	 * without readable clocks is kept, it may still be signed in; so is one whose user
	 * cannot be read (an attribute that no longer deserializes, which a store such as
	 * JDBC reads only when asked for it): it stops none of the user's other sessions, and
	 * is revoked with them. A record of why another session ended, or of a switch of user
	 * in another session, which the store keeps as a session of its own under an index
	 * value that a user may be named by, is nobody's.
	 * @param session the session
	 * @param username the user's name
	 * @return {@code true} if it is taken as the user's
	 */
	public boolean isIndexedSessionOf(SessionAttributeSource session, String username) {
		try {
			if (session.getAttribute(SessionAttributes.ENDED_SESSION_RECORD) != null
					|| session.getAttribute(SessionAttributes.SWITCHED_SESSION_RECORD) != null) {
				return false;
			}
			return status(session).map((status) -> isSessionOf(session, username)).orElse(true);
		}
		catch (RuntimeException ex) {
			return true;
		}
	}

	/**
	 * Return the names of the users who switched to a session's user, whose sessions the
	 * session is too.
	 * @param session the session
	 * @return the names, empty if no user switched
	 */
	public List<String> switchedFrom(SessionAttributeSource session) {
		return this.principals.switchedFrom(session);
	}

	/**
	 * Return the status of a session, as the status endpoint and
	 * {@link dev.sessiontimeout.SessionTimeouts} show it, without changing it.
	 * @param session the session
	 * @return the status, or empty if the session has no clocks of this starter
	 */
	public Optional<SessionStatus> status(SessionAttributeSource session) {
		return Optional.ofNullable(state(session))
			.map((state) -> state.toStatus(this.principals.nameOf(session), this.mayBePrivileged.test(session)));
	}

	/**
	 * Start the clocks of a session that was just created, with the global policy.
	 * @param session the new session
	 * @return its state
	 */
	public SessionState start(SessionAccess session) {
		return this.decisions.start(session, now());
	}

	/**
	 * Decide whether a request may use its session: end the session if a deadline has
	 * passed (or it was revoked), ask its user to authenticate again if the request needs
	 * a more recent authentication, else record the activity, if any. Each time the
	 * store's own expiry is aimed at the session's end plus the store grace.
	 * @param session the session of the request
	 * @param request what the decision needs to know of the request
	 * @return the decision
	 */
	public SessionDecision decide(SessionAccess session, SessionRequest request) {
		return this.decisions.decide(session, request, now());
	}

	/**
	 * Give a session whose user signed in with the request that ends now without a login
	 * these clocks recorded (the application saved the security context itself; no
	 * {@code InteractiveAuthenticationSuccessEvent}) the policy of that user's
	 * authentication at once, as the session's next decision would: indexed under its
	 * user, holding that policy, and the store's own expiry aimed by it. Until then the
	 * store would keep the session as the global policy that the request's decision, made
	 * without the user, aimed it by, and could drop it before a next request that the
	 * session's policy serves. A session that holds the policy of its user's login, has
	 * no user, or holds no readable clocks is left as it is.
	 * @param session the session
	 * @param request what the policy's resolution needs to know of the request
	 * @return the session's state as it is now, or {@code null} if it was left as it is
	 */
	public @Nullable SessionState followSignIn(SessionAccess session, SessionRequest request) {
		return this.decisions.followSignIn(session, request, now());
	}

	/**
	 * Record the activity of a request that was decided as passive because the handler it
	 * reaches counts it (the status endpoint's {@code POST}, "stay signed in"), once that
	 * handler runs: only a request that the application's security accepted (with its
	 * CSRF token, say) is activity. The session's timeline moves as the decision would
	 * have moved it, and the store's own expiry is aimed from it again, only if the
	 * session still holds the timeline the decision wrote (not a sign-in since) and none
	 * of its deadlines has passed since.
	 * @param session the request's session, or its copy of it
	 * @param served the decision to serve the request
	 * @return the session's state as it is now, or {@code null} if nothing was recorded
	 */
	public @Nullable SessionState recordActivity(SessionAccess session, SessionDecision served) {
		return this.decisions.recordActivity(session, served, now());
	}

	/**
	 * Take back the activity that serving a request recorded in its session, for a
	 * request that ran without its user because that user must authenticate again, and
	 * that something further down (method security, a URL rule that the decision could
	 * not evaluate ahead) then refused for want of that user: a refused request is no
	 * activity, as one that the URL rules refuse before it is served is not. The session
	 * gets back the timeline the decision found, and the store's own expiry is aimed from
	 * it again, only if the session as its store holds it now still has the timeline the
	 * decision found or the one it wrote: where each request has a copy of its own
	 * (Spring Session's stores), this request's copy never writes back over what another
	 * request saved since (its activity, a sign-in), nor over a sign-in in the same
	 * request.
	 * @param session the request's session, or its copy of it
	 * @param served the decision to serve the request
	 * @param saved the session as its store holds it now (the session itself where every
	 * request shares it), {@code null} if it holds none
	 * @return the session's state as it is now, or {@code null} if nothing was taken back
	 */
	public @Nullable SessionState withdrawActivity(SessionAccess session, SessionDecision served,
			@Nullable SessionAttributeSource saved) {
		return this.decisions.withdrawActivity(session, served, saved, now());
	}

	/**
	 * Return a watch over the session of a response that may outlive the decision to
	 * serve it, so that it writes nothing once the session ended or, for a response that
	 * began for an authenticated user, its user must authenticate again.
	 * @param sessionId the id of the session
	 * @param state the session's state when the request was decided
	 * @param writtenAuthenticatedAt when its user authenticated, as the session holds it
	 * (not moved back for clock skew), {@code null} if unknown
	 * @param authenticated whether the response began for an authenticated user
	 * @param lookup reads the session as its store holds it now, {@code null} once the
	 * store no longer has it
	 * @return the watch
	 * @see SessionWatch
	 */
	public SessionWatch watch(String sessionId, SessionState state, @Nullable Instant writtenAuthenticatedAt,
			boolean authenticated, Supplier<@Nullable SessionAttributeSource> lookup) {
		return new SessionWatch(this, sessionId, lookup, state, writtenAuthenticatedAt, authenticated,
				this.settings.getResponseCheckInterval());
	}

	/**
	 * Return why a session that the store does not know ended: the reason remembered for
	 * it during its store grace, else {@link ExpiryReason#INVALID}.
	 * @param sessionId the id a request named
	 * @return the reason
	 * @see #namesARecord(String)
	 */
	public ExpiryReason unknownSessionReason(String sessionId) {
		return namesARecord(sessionId) ? ExpiryReason.INVALID : this.ends.reasonOf(sessionId, now());
	}

	/**
	 * Return whether an id that a request named is the key of a record that the starter
	 * keeps beside the ended sessions (a back-channel logout, the subject of a provider
	 * session, a client that names its users otherwise): anyone can compute such a key,
	 * so a request naming it learns nothing of the record.
	 * @param sessionId the id a request named
	 * @return {@code true} if it is such a key, never a session's id
	 */
	public static boolean namesARecord(String sessionId) {
		return sessionId.startsWith(SessionAttributes.PREFIX);
	}

	/**
	 * Return whether a session may perform a privileged operation that needs an
	 * authentication no older than the given age. The session's clocks count only for the
	 * user whose login they date: a session that the application signed another user into
	 * since (in this very request, after the decision) is not privileged, and its
	 * privilege grant serves no one.
	 * @param session the session
	 * @param maxAge the maximum age of the authentication, {@code null} for none
	 * @param request what the decision needs to know of the request
	 * @return {@code true} if the operation may proceed
	 * @see SessionChallenges#isPrivileged
	 */
	public boolean isPrivileged(SessionAccess session, @Nullable Duration maxAge, SessionRequest request) {
		Instant now = now();
		StoredState held = StoredState.of(session);
		SessionTimeline timeline = held.timeline();
		if (timeline == null || !this.policies.datesLoginOfSessionUser(session, held)) {
			return false;
		}
		return this.challenges.isPrivileged(session, timeline.trustedAt(now), maxAge, request, now);
	}

	/**
	 * Decide again, for a request that {@link #decide} served, whether its path needs a
	 * privileged session that the session is not: for a request whose path a filter of
	 * the application rewrote after the decision, so that the path the application's
	 * security and handler see is judged too. The decision's state (the session's
	 * timeline and policy as it found them) is judged, no activity recorded; a decision
	 * that served nothing, which holds no state, is refused.
	 * @param session the session of the request
	 * @param served the decision that served the request
	 * @param request what the decision needs to know of the request, with its path as it
	 * is now
	 * @return the challenge to answer the request with, or {@code null} to serve it
	 */
	public @Nullable SessionDecision decidePrivilegedPathAgain(SessionAccess session, SessionDecision served,
			SessionRequest request) {
		SessionState state = served.state();
		if (served.reason() != null || state == null) {
			// Nothing to judge it by: never served as privileged
			Duration maxAge = privilegedMaxAge(session);
			return SessionDecision.challenge(ExpiryReason.PRIVILEGED, (maxAge != null) ? maxAge : Duration.ZERO);
		}
		return this.challenges.decidePrivilegedPathAgain(session, request, state.timeline(), state.policy(), now());
	}

	/**
	 * Record that the user of a session must authenticate again.
	 * @param session the session
	 * @param reason {@link ExpiryReason#REAUTHENTICATION} or
	 * {@link ExpiryReason#PRIVILEGED}
	 * @param maxAge how old the new authentication may be at most
	 * @see SessionChallenges#record
	 */
	public void recordChallenge(SessionAccess session, ExpiryReason reason, Duration maxAge) {
		this.challenges.record(session, reason, maxAge, policy(session), now());
	}

	/**
	 * Return the challenge that an authentication in a session must meet.
	 * @param session the session
	 * @param now the current instant
	 * @return the challenge, or {@code null} if the session's user need not authenticate
	 * again
	 * @see SessionChallenges#toMeet
	 */
	public @Nullable PendingChallenge challengeToMeet(SessionAccess session, Instant now) {
		return this.challenges.toMeet(session, policy(session), now);
	}

	/**
	 * Record a successful (re)authentication in a session: it gives the session the
	 * policy of its user, restarts the clocks that count from authentication, and is
	 * activity. The absolute clock is untouched. A pending challenge is met (the caller
	 * made sure that the same user authenticated recently enough) and announced with a
	 * {@link SessionStepUpEvent}. The authentication may serve one privileged operation
	 * with a maximum age of zero if it took place now, or met the pending challenge and
	 * took place after it was raised (an identity provider's older single sign-on does
	 * not, however recent).
	 * @param session the session
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it (an OpenID Connect {@code auth_time}), or {@code null} for now
	 * @param policy the policy of the session from now on
	 * @return the session's state
	 */
	public SessionState recordAuthentication(SessionAccess session, @Nullable Instant reportedAuthenticatedAt,
			SessionTimeoutPolicy policy) {
		return recordAuthentication(session, reportedAuthenticatedAt, true, policy);
	}

	/**
	 * Record a successful sign-in in a session, as
	 * {@link #recordAuthentication(SessionAccess, Instant, SessionTimeoutPolicy)} does
	 * for one that authenticated its user. A sign-in that is no authentication of its
	 * user (Spring Security's remember-me, which proves no factor) gives the session its
	 * policy and is activity, but records no authentication time: the session is never
	 * privileged, meets no pending challenge, and, with a re-authentication lifetime, its
	 * user must authenticate again at once.
	 * @param session the session
	 * @param reportedAuthenticatedAt when the user authenticated, as the authentication
	 * reports it, or {@code null} for now
	 * @param authenticated whether the sign-in authenticated its user
	 * @param policy the policy of the session from now on
	 * @return the session's state
	 */
	public SessionState recordAuthentication(SessionAccess session, @Nullable Instant reportedAuthenticatedAt,
			boolean authenticated, SessionTimeoutPolicy policy) {
		return this.decisions.recordAuthentication(session, reportedAuthenticatedAt, authenticated, policy, now());
	}

	/**
	 * Decide whether the rest of a request in which its session's user just signed in
	 * must authenticate again, as the decision of the session's next request would find:
	 * a sign-in that records no authentication time (a remember-me login) under a policy
	 * with a re-authentication lifetime, on a request that needs an authenticated user.
	 * @param request what the decision needs to know of the request
	 * @param state the session's state as the sign-in recorded it
	 * @return the challenge, or {@code null} if the request goes on
	 */
	public @Nullable SessionDecision decideAfterSignIn(SessionRequest request, SessionState state) {
		return this.challenges.decideReauthentication(request, state.timeline(), state.policy(), now());
	}

	/**
	 * Tell the index of each user's sessions that the application changed the id of a
	 * session whose user authenticated, without a new login: so that its user's sessions
	 * are still found, and revoked, under the new id.
	 * @param session the session, under its new id
	 */
	public void indexRenamed(SessionAccess session) {
		SessionState state = state(session);
		if (state != null) {
			this.policies.index(session, state.deadlines(), now());
		}
	}

	/**
	 * Index a signed-in session under its user, as a request of it ends, if the
	 * application filed it in its store's own index of sessions by user under another
	 * name ({@link SessionAttributes#STORE_INDEX_NAME}, an email address, say) since the
	 * starter last looked: the store (JDBC, Redis {@code indexed}) finds it under that
	 * name only, the starter's lookups under its user's. A request pays one attribute
	 * read on such a store, nothing on the others (the starter indexes every session
	 * under its user there).
	 * @param session the session
	 */
	public void indexIfRefiled(SessionAccess session) {
		if (indexesRefiled() && refiled(session)) {
			indexRenamed(session);
		}
	}

	/**
	 * Return whether a session that the application files in its store's own index under
	 * a name other than its user's is to be indexed under its user too
	 * ({@link #indexIfRefiled}): only on a store with such an index (JDBC, Redis
	 * {@code indexed}); the starter indexes every session under its user on the others.
	 * @return whether it is
	 */
	public boolean indexesRefiled() {
		return this.policies.keepsSwitchesOnly();
	}

	/**
	 * Return whether the application filed a session in its store's own index under a
	 * name other than its user's ({@link SessionAttributes#STORE_INDEX_NAME}) since the
	 * starter last looked, noting that name in the session if it did; the session is then
	 * to be indexed under its user again. A session filed under its user's own name, or
	 * under none, stores no note, and loses the note of an earlier name.
	 * @param session the session
	 * @return {@code true} if it is to be indexed again
	 */
	public boolean refiled(SessionAccess session) {
		String name = SessionAttributes.storeIndexName(session);
		Object filedAs = session.getAttribute(SessionAttributes.FILED_AS);
		if (name != null && name.equals(filedAs)) {
			return false;
		}
		String username = (name != null) ? this.principals.nameOf(session) : null;
		if (username == null || username.equals(name)) {
			// Filed under its user's name, or under none (or holding no user): the store
			// finds it, and the note of another name goes, so that this name, filed
			// again later (under a new id, say), is indexed again
			if (filedAs != null) {
				session.removeAttribute(SessionAttributes.FILED_AS);
			}
			return false;
		}
		session.setAttribute(SessionAttributes.FILED_AS, name);
		return true;
	}

	/**
	 * Tell the index of each user's sessions that the request in which a user
	 * authenticated in a session (or the application changed its id) ends, so that its
	 * store saves it now: a login's request may run for minutes, and the index forgets an
	 * entry whose session the store does not hold a minute after it was written.
	 * @param session the session
	 * @see UserSessionIndex#saved
	 */
	public void indexSaved(SessionAccess session) {
		SessionState state = state(session);
		if (state != null) {
			this.policies.indexSaved(session, state.deadlines(), now());
		}
	}

	/**
	 * Read, as a user authenticates in a session, the record of the last revocation of
	 * that user's sessions everywhere ({@link UserRevocations}), so that the login's
	 * request can tell, as it ends, whether a revocation ran meanwhile
	 * ({@link #endIfRevokedInFlight}). A record that cannot be read is noted as such.
	 * @param session the session, signed in
	 * @return what was read, or {@code null} if the session names no user
	 */
	public UserRevocations.@Nullable Seen revocationsAtLogin(SessionAttributeSource session) {
		return revocationsAtLogin(session, null);
	}

	/**
	 * Read, as a user authenticates in a session, the record of the last revocation of
	 * that user's sessions everywhere, as
	 * {@link #revocationsAtLogin(SessionAttributeSource)} does, for a login dated from
	 * just before its token check: one that proves no factor, such as Spring Security's
	 * remember-me, whose token a revocation may remove and record itself after the login
	 * checked it, before the login is recorded
	 * ({@link UserRevocations.Seen#unread(String, String, UserRevocations.Begun)}).
	 * @param session the session, signed in
	 * @param begun when the login's request reached remember-me, before its token check,
	 * {@code null} to date the login now
	 * @return what was read, or {@code null} if the session names no user
	 */
	public UserRevocations.@Nullable Seen revocationsAtLogin(SessionAttributeSource session,
			UserRevocations.@Nullable Begun begun) {
		UserRevocations.Seen unread = revocationsToRead(session);
		if (unread == null) {
			return null;
		}
		if (begun != null) {
			unread = UserRevocations.Seen.unread(unread.username(), unread.provider(), begun)
				.renamedFrom(unread.renamedFrom());
		}
		try {
			return unread.read(revocationOf(unread));
		}
		catch (RuntimeException ex) {
			return unread;
		}
	}

	/**
	 * Return, as a user authenticates in a session, whose revocations the login is to
	 * read, for a store that is read without blocking
	 * ({@link UserRevocations.Seen#read}).
	 * @param session the session, signed in
	 * @return the user and provider to read the record of, with now as the login's
	 * instant, marked unread, or {@code null} if the session names no user
	 */
	public UserRevocations.@Nullable Seen revocationsToRead(SessionAttributeSource session) {
		String username = this.principals.nameOf(session);
		return (username != null) ? UserRevocations.Seen.unread(username, this.principals.providerOf(session), now())
			.renamedFrom(renamedFrom(session)) : null;
	}

	/**
	 * Return the record of the last revocation everywhere of the user of a login, as what
	 * remembers ended sessions keeps it.
	 * @param login what the login is to read
	 * @return the record, or {@code null} if none is kept
	 * @throws RuntimeException if the record cannot be read
	 */
	public EndedSessions.@Nullable Entry revocationOf(UserRevocations.Seen login) {
		return this.ends.entryOf(login.key(), now());
	}

	/**
	 * End, as the request of a login in it ends, a session whose user's sessions were
	 * revoked everywhere while the request ran ({@link UserRevocations}): the revocation
	 * could not find it, which its store holds only from the end of the request (or the
	 * response's commit) on. It ends with reason {@link ExpiryReason#REVOKED}, announced
	 * as no revocation did. Only a login's request reads the record, once more.
	 * @param session the session
	 * @param atLogin what the login read ({@link #revocationsAtLogin})
	 * @return whether it ended the session
	 * @throws RuntimeException if the record cannot be read
	 */
	public boolean endIfRevokedInFlight(SessionAccess session, UserRevocations.Seen atLogin) {
		Instant now = now();
		if (!atLogin.endedBy(revocationOf(atLogin), session.getId(), now)) {
			return false;
		}
		this.ends.end(session, ExpiryReason.REVOKED, now, policy(session), true, now);
		return true;
	}

	/**
	 * Revoke, as the request of a login in it ends, a session whose user's sessions were
	 * revoked everywhere while the request ran, as the record read again tells
	 * ({@link #endIfRevokedInFlight}): where the request saves its copy of the session
	 * (on WebFlux, once the session manager saved it as the response commits), it is
	 * marked revoked in that copy, announced now, and ended at its next request.
	 * @param session the session
	 * @param atLogin what the login read
	 * @param atEnd the record read as the request ends, {@code null} if none is kept
	 * @return whether it revoked the session
	 */
	public boolean revokeIfRevokedInFlight(SessionAccess session, UserRevocations.Seen atLogin,
			EndedSessions.@Nullable Entry atEnd) {
		Instant now = now();
		if (!atLogin.endedBy(atEnd, session.getId(), now)) {
			return false;
		}
		this.ends.revokeInRequest(session, policy(session), now);
		return true;
	}

	/**
	 * Tell what remembers ended sessions that a request changed a session's id (a login,
	 * a step-up, the application's own {@code changeSessionId()}), so that a revocation
	 * that read the session under its old id, and whose write a store that saves whole
	 * copies loses (Spring Session's map), still ends it under the new one.
	 * @param previousId the session's id when the request was decided
	 * @param session the session, under its new id
	 */
	public void renamed(String previousId, SessionAccess session) {
		Instant now = now();
		this.ends.renamed(previousId, session, revivableUntil(session, now), now);
	}

	/**
	 * Tell the {@link SessionEndListener}s of this node that a revocation ended a session
	 * away from its requests (marked revoked in the store, or deleted from it), so that
	 * components keyed by its id, such as Spring Security's {@code SessionRegistry}, drop
	 * it now rather than at its next request, which may never come.
	 * @param sessionId the session's id
	 */
	public void revoked(String sessionId) {
		this.ends.revoked(sessionId);
	}

	/**
	 * Tell the {@link SessionEndListener}s of this node that a request changed a
	 * session's id, so that components keyed by its id, such as Spring Security's
	 * {@code SessionRegistry}, no longer hold the previous one.
	 * @param previousId the session's id before
	 * @param sessionId its id now
	 */
	public void idChanged(String previousId, String sessionId) {
		this.ends.idChanged(previousId, sessionId);
	}

	/**
	 * Tell what remembers ended sessions that the application invalidated a session in a
	 * request that these clocks decided on and did not end (a logout), so that a copy of
	 * it that a request which loaded it before saves after (Spring Session's map, whose
	 * saves are whole copies) is ended at its next request, reason
	 * {@link ExpiryReason#INVALID}, while it may be alive. Why a clock or a revocation
	 * ended the session, if remembered, stays.
	 * @param sessionId the session's id when the request was decided
	 * @param state its state as the decision served it, {@code null} if the decision
	 * challenged it
	 */
	public void invalidated(String sessionId, @Nullable SessionState state) {
		Instant now = now();
		this.ends.invalidated(sessionId, revivableUntil(state, now), now);
	}

	/**
	 * Return whether what remembers ended sessions remembers sign-outs
	 * ({@link #signedOut}): where the store saves whole copies of a session in this
	 * node's memory (Spring Session's map, the container's sessions). Elsewhere a request
	 * need not tell whether its user signed out.
	 * @return {@code true} if it does
	 */
	public boolean keepsSignOuts() {
		return this.ends.keepsSignOuts();
	}

	/**
	 * Tell what remembers ended sessions that the user of a session that these clocks
	 * decided on and did not end signed out of it in a request that kept the session
	 * under the same id (a logout that does not invalidate it), so that a copy of it that
	 * a request which loaded it signed in before saves after (Spring Session's map, whose
	 * saves are whole copies) is ended at its next request, reason
	 * {@link ExpiryReason#INVALID}, while it may be alive: one that holds that user with
	 * an authentication no later than now. The session signed out is served, and so is a
	 * login in it after now.
	 * @param sessionId the session's id
	 * @param session the session, signed out
	 * @param state its state as the decision served it, {@code null} if the decision
	 * challenged it
	 */
	public void signedOut(String sessionId, SessionAttributeSource session, @Nullable SessionState state) {
		if (!this.ends.keepsSignOuts()) {
			return;
		}
		Instant now = now();
		StoredState held = StoredState.of(session);
		SessionTimeline timeline = held.timeline();
		boolean loginTimeKnown = timeline != null && timeline.authenticatedAt() != null;
		this.ends.signedOut(sessionId,
				new EndedSessions.SignOut(now, held.user(), revivableUntil(state, now), loginTimeKnown), now);
	}

	/**
	 * Forget the login of a session whose user signed out of it without its invalidation
	 * (a logout that keeps the session): its authentication time and its privilege grant.
	 * A later sign-in that these clocks do not record (the application saves a security
	 * context of the same user itself) then counts from no authentication, and is never
	 * privileged, instead of from the login before the sign-out. A session that holds no
	 * readable clocks loses its grant only.
	 * @param session the session, signed out
	 */
	public void forgetLogin(SessionAccess session) {
		StoredState held = StoredState.of(session);
		SessionTimeline timeline = held.timeline();
		if (!held.unreadable() && timeline != null && timeline.authenticatedAt() != null) {
			held.withTimeline(new SessionTimeline(timeline.createdAt(), timeline.lastActivityAt(), null))
				.writeTo(session, held);
		}
		if (session.getAttribute(SessionAttributes.PRIVILEGE_GRANT) != null) {
			session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		}
	}

	/**
	 * Return what the index of each user's sessions keeps of a session whose user
	 * authenticated, for an index that is written apart from the login (on WebFlux, once
	 * the session has its final id).
	 * @param session the session
	 * @param state its state, as the authentication left it
	 * @return the entry, or {@code null} if the session names no user
	 */
	public UserSessionIndex.@Nullable Entry userSessionEntry(SessionAttributeSource session, SessionState state) {
		return this.policies.indexEntry(session, state.deadlines());
	}

	/**
	 * Return the instant from which a copy of a revoked session, saved over its
	 * revocation by a request that was already running, cannot be alive any more: the
	 * earlier of its absolute deadline and an idle timeout from now (that request may
	 * have been active until now), and the store grace.
	 * @param session the revoked session
	 * @param now the current instant
	 * @return the instant
	 */
	public Instant revivableUntil(SessionAttributeSource session, Instant now) {
		return revivableUntil(state(session), now);
	}

	private Instant revivableUntil(@Nullable SessionState state, Instant now) {
		Instant absolute = (state != null) ? state.deadlines().deadlineOf(ExpiryReason.ABSOLUTE) : null;
		Duration idle = (state != null) ? state.policy().idle() : null;
		Instant idleFromNow = (idle != null) ? now.plus(idle) : null;
		Instant end = (absolute != null && (idleFromNow == null || absolute.isBefore(idleFromNow))) ? absolute
				: idleFromNow;
		return ((end != null) ? end : now.plus(NO_DEADLINE_REMEMBERED)).plus(this.settings.getStoreGrace());
	}

	/**
	 * Return whether a session that the store holds may be, under a later id, the session
	 * that a request holds a copy of: a change of id (a login, a step-up, the
	 * application's own {@code changeSessionId()}) keeps the session's creation time (to
	 * the millisecond, as every store keeps it), and the starter's record of its creation
	 * and sign-in (the timeline's creation instant, the device and address its user
	 * signed in from, the fingerprint of that user). None of these tells one session from
	 * another of the same user on its own: a session is taken for the request's only as
	 * {@link #laterIdOf} does. A session either of whose states cannot be read, or holds
	 * no clocks, is not.
	 * @param stored the session the store holds
	 * @param storedCreationTime its creation time
	 * @param held the session the request holds
	 * @param heldCreationTime its creation time
	 * @return {@code true} if the store's session may be the request's
	 */
	public boolean mayBeRenamedFrom(SessionAttributeSource stored, Instant storedCreationTime,
			SessionAttributeSource held, Instant heldCreationTime) {
		if (storedCreationTime.toEpochMilli() != heldCreationTime.toEpochMilli()) {
			return false;
		}
		StoredState now = StoredState.of(stored);
		StoredState before = StoredState.of(held);
		SessionTimeline timeline = now.timeline();
		SessionTimeline heldTimeline = before.timeline();
		return timeline != null && heldTimeline != null && !now.unreadable() && !before.unreadable()
				&& timeline.createdAt().equals(heldTimeline.createdAt())
				&& Objects.equals(now.device(), before.device()) && Objects.equals(now.address(), before.address())
				&& Objects.equals(now.user(), before.user());
	}

	/**
	 * Return whether a session that the store holds may be, under a later id, the session
	 * that a request holds a copy of ({@link #mayBeRenamedFrom}), for each session that a
	 * revocation of the request's other sessions reads. A session that cannot be read
	 * (its attributes or its creation time, or the request's session's, fail to read) is
	 * not: it is not spared, and is revoked with the others (fail closed).
	 * @param <S> the type of the sessions read
	 * @param held the session the request holds
	 * @param heldCreationTime its creation time, read as each session is tested
	 * @param attributes the attributes of a session read
	 * @param creationTime the creation time of a session read
	 * @return whether a session read may be the request's under a later id
	 */
	public <S> Predicate<S> mayBeLaterIdOf(SessionAttributeSource held, Supplier<Instant> heldCreationTime,
			Function<S, SessionAttributeSource> attributes, Function<S, Instant> creationTime) {
		return (stored) -> {
			try {
				return mayBeRenamedFrom(attributes.apply(stored), creationTime.apply(stored), held,
						heldCreationTime.get());
			}
			catch (RuntimeException ex) {
				return false;
			}
		};
	}

	/**
	 * Return, as text, what a session keeps across a change of its id of what
	 * {@link #mayBeRenamedFrom} compares (but the store's creation time): a revocation of
	 * a request's other sessions spares it ({@link UserRevocations.Everywhere#othersOf})
	 * along with the request's session ids, so that a login in flight in that session (a
	 * step-up in another tab, which changes its id) is spared under its new id too, and a
	 * login in any other session (created at another instant, or on another device) is
	 * not. Never a session id: it begins with the starter's attribute prefix.
	 * @param session the session
	 * @return the text, or {@code null} if its state cannot be read or holds no clocks
	 */
	public static @Nullable String renamedFrom(SessionAttributeSource session) {
		StoredState state;
		try {
			state = StoredState.of(session);
		}
		catch (RuntimeException ex) {
			return null;
		}
		SessionTimeline timeline = state.timeline();
		if (timeline == null || state.unreadable()) {
			return null;
		}
		return SessionAttributes.PREFIX + "renamedFrom:" + timeline.createdAt().toEpochMilli() + ";" + state.device()
				+ ";" + state.address() + ";" + state.user();
	}

	/**
	 * Return the session that a revocation of a request's other sessions holds for the
	 * request's own under a later id (another request of it changed its id after this one
	 * loaded it, and was saved before the revocation read the user's sessions): the only
	 * session read that {@link #mayBeRenamedFrom may be it}, and only if none read is
	 * under an id of the request's (the session did not move). Two such sessions (of the
	 * same user, created in the same millisecond, from the same device and address) are
	 * told apart by nothing: neither is spared, and the request's user signs in again
	 * (fail closed).
	 * @param <S> the type of the sessions read
	 * @param read the user's sessions, as read
	 * @param underOwnId whether a session is under an id of the request's
	 * @param mayBeOwn whether a session may be the request's under a later id
	 * @return the session, or {@code null} if none is taken for the request's
	 */
	public static <S> @Nullable S laterIdOf(Collection<S> read, Predicate<S> underOwnId, Predicate<S> mayBeOwn) {
		S found = null;
		for (S session : read) {
			if (underOwnId.test(session)) {
				return null;
			}
			if (mayBeOwn.test(session)) {
				if (found != null) {
					return null;
				}
				found = session;
			}
		}
		return found;
	}

	/**
	 * Return how long the store keeps a revoked session from now on: the store grace, but
	 * never past the session's own end plus the store grace (a session revoked after its
	 * idle deadline, while the store still holds it, is not kept longer for the
	 * revocation); at least a second.
	 * @param session the revoked session
	 * @return how long from now
	 */
	public Duration revokedStoreLifetime(SessionAttributeSource session) {
		Duration grace = this.settings.getStoreGrace();
		Duration left = grace;
		SessionState state = readableState(session);
		Instant expiresAt = (state != null) ? state.deadlines().expiresAt() : null;
		if (state != null && expiresAt != null) {
			Duration untilEnd = Duration.between(state.readAt(), expiresAt.plus(grace));
			left = (untilEnd.compareTo(grace) < 0) ? untilEnd : grace;
		}
		return (left.compareTo(Duration.ofSeconds(1)) < 0) ? Duration.ofSeconds(1) : left;
	}

}
