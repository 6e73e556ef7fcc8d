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

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * The policies of sessions for the {@link SessionClocks}: the one a session was given
 * when its user authenticated, lowered to the current limits; the global one for a
 * session without an authenticated user; and, for a decision on a session whose user is
 * authenticated but that holds no readable policy, the one its authentication gives it,
 * never the global one.
 *
 * @author session-timeout
 * @since 0.1.0
 */
final class SessionPolicies {

	private static final Log logger = LogFactory.getLog(SessionClocks.class);

	private static final String ANOTHER_USERS_LOGIN = " held the clocks of another user's login (a user signed in"
			+ " without an InteractiveAuthenticationSuccessEvent): it counts as a login that recorded no time";

	private final SessionTimeoutSettings settings;

	private final SessionPrincipals principals;

	private UserSessionIndex userSessionIndex = UserSessionIndex.NONE;

	SessionPolicies(SessionTimeoutSettings settings, SessionPrincipals principals) {
		this.settings = settings;
		this.principals = principals;
	}

	void setUserSessionIndex(UserSessionIndex userSessionIndex) {
		this.userSessionIndex = userSessionIndex;
	}

	/**
	 * Tell the index of each user's sessions that a user authenticated in a session,
	 * whose deadlines are the given ones: under the session's user (unless the store
	 * files it under its user itself), and under each user who switched to that one,
	 * whose session it is too.
	 */
	void index(SessionAccess session, SessionDeadlines deadlines, Instant now) {
		UserSessionIndex.Entry entry = indexEntry(session, deadlines);
		if (entry != null) {
			if (!filedUnderItsUserByTheStore(session, entry.username())) {
				this.userSessionIndex.add(entry.username(), session.getId(), entry.until(), now);
			}
			for (String switchedFrom : this.principals.switchedFrom(session)) {
				this.userSessionIndex.add(switchedFrom, session.getId(), entry.until(), now);
			}
		}
	}

	/**
	 * Tell the index of each user's sessions that the request in which a user
	 * authenticated in a session ends, so that the store saves it now.
	 * @see UserSessionIndex#saved
	 */
	void indexSaved(SessionAccess session, SessionDeadlines deadlines, Instant now) {
		UserSessionIndex.Entry entry = indexEntry(session, deadlines);
		if (entry != null) {
			if (!filedUnderItsUserByTheStore(session, entry.username())) {
				this.userSessionIndex.saved(entry.username(), session.getId(), entry.until(), now);
			}
			for (String switchedFrom : this.principals.switchedFrom(session)) {
				this.userSessionIndex.saved(switchedFrom, session.getId(), entry.until(), now);
			}
		}
	}

	/**
	 * Return whether the index of each user's sessions keeps sessions under the users who
	 * switched only, the store filing each under its own user itself (JDBC, Redis
	 * {@code indexed}).
	 */
	boolean keepsSwitchesOnly() {
		return this.userSessionIndex.keepsSwitchesOnly();
	}

	/**
	 * Return whether the store files a session under its user itself: one with an index
	 * of its own, unless the application filed the session there under another name
	 * ({@link SessionAttributes#STORE_INDEX_NAME}, an email address, say), under which
	 * alone the store finds it.
	 */
	private boolean filedUnderItsUserByTheStore(SessionAttributeSource session, String username) {
		return this.userSessionIndex.keepsSwitchesOnly()
				&& SessionAttributes.filedUnderAnotherName(session, username) == null;
	}

	/**
	 * Return what the index of each user's sessions keeps of a session whose user
	 * authenticated, with the given deadlines: the user's name, and the instant from
	 * which the session cannot be alive any more (its absolute deadline and the store
	 * grace, with a margin for clock skew).
	 */
	UserSessionIndex.@Nullable Entry indexEntry(SessionAttributeSource session, SessionDeadlines deadlines) {
		String username = this.principals.nameOf(session);
		if (username == null) {
			return null;
		}
		Instant absoluteDeadline = deadlines.deadlineOf(ExpiryReason.ABSOLUTE);
		Instant until = (absoluteDeadline != null)
				? absoluteDeadline.plus(this.settings.getStoreGrace()).plus(SessionTimeline.CLOCK_SKEW_TOLERANCE)
				: null;
		return new UserSessionIndex.Entry(username, until);
	}

	/**
	 * Return whether a session holds a readable policy of its own, given at the login of
	 * its current user: one recorded for another user does not count.
	 */
	boolean holds(SessionAttributeSource session) {
		return heldPolicy(session, StoredState.of(session)) != null;
	}

	/**
	 * Return the readable policy that a session's state holds, given at the login of its
	 * current user, as this node applies it.
	 * @return the policy, or {@code null} for none, an unreadable one or another user's
	 */
	private @Nullable SessionTimeoutPolicy heldPolicy(SessionAttributeSource session, StoredState state) {
		String text = state.policy();
		SessionTimeoutPolicy stored = (text != null) ? this.settings.storedPolicy(text) : null;
		return (stored != null && !isOfAnotherUser(session, state)) ? stored : null;
	}

	/**
	 * Return the {@link UserFingerprint fingerprint} of a session's user.
	 * @return the fingerprint, or {@code null} for a session without a user (or an
	 * application that keeps none in the session)
	 */
	@Nullable String userOf(SessionAttributeSource session) {
		SessionPrincipalResolver.User user = this.principals.userOf(session);
		return (user != null) ? UserFingerprint.of(user.provider(), user.name()) : null;
	}

	/**
	 * Return whether a state dates the login of the session's user now, as a privileged
	 * decision needs: it names that user (or the one who switched to it). A state of
	 * another user's login does not, nor one that names a user while the session holds
	 * none that the starter can name (fail closed). A state that names no user (a state
	 * written before the fingerprint was) is taken as the session's user's, as
	 * {@link #ofCurrentUser} takes it.
	 * @param session the session
	 * @param held the state it holds
	 * @return {@code true} if the state's login is the session's user's
	 */
	boolean datesLoginOfSessionUser(SessionAttributeSource session, StoredState held) {
		if (held.user() == null) {
			return true;
		}
		return this.principals.userOf(session) != null && !isOfAnotherUser(session, held);
	}

	/**
	 * Return whether a state was recorded for the login of another user than the
	 * session's user now: the application signed that user in itself (a sign-up that
	 * saves its security context, a login after a logout that kept the session) without
	 * an authentication the starter records. The user who switched to the session's user
	 * (an administrator who impersonates a customer) is the one who logged in. A state
	 * that names no user (no login recorded, or written before the fingerprint was) and a
	 * session without a user tell nothing: the cost is a comparison only where both
	 * exist.
	 */
	boolean isOfAnotherUser(SessionAttributeSource session, StoredState held) {
		String recorded = held.user();
		if (recorded == null) {
			return false;
		}
		SessionPrincipalResolver.User user = this.principals.userOf(session);
		if (user == null) {
			return false;
		}
		String provider = user.provider();
		if (recorded.equals(UserFingerprint.of(provider, user.name()))) {
			return false;
		}
		for (String switchedFrom : this.principals.switchedFrom(session)) {
			if (recorded.equals(UserFingerprint.of(provider, switchedFrom))
					|| recorded.equals(UserFingerprint.of(null, switchedFrom))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the state a decision counts from: the held one, or, where it was recorded
	 * for the login of another user than the session's user now, the state of a login
	 * that recorded no time (written at once): no authentication instant, so never
	 * privileged; no privilege grant; no pending challenge, which no later login meets
	 * (the previous user's, back in the session, included); no policy, so that the
	 * decision gives it the one of the session's authentication, never the previous
	 * user's. {@link #forDecision} logs it, once, with the policy the decision gives it:
	 * the state returned then names another user than the held one.
	 */
	StoredState ofCurrentUser(SessionAccess session, StoredState held) {
		if (held.user() == null) {
			// Clocks that name no user (a user signed in without a recorded login, or a
			// state written before the fingerprint was) are taken as the session's
			// user's,
			// who is named from now on, so that a later user is told apart
			String user = (held.timeline() != null) ? userOf(session) : null;
			if (user == null) {
				return held;
			}
			return held.withUser(user).writeTo(session, held);
		}
		if (!isOfAnotherUser(session, held)) {
			return held;
		}
		String user = userOf(session);
		StoredState unrecorded = held.asUnrecordedLoginOf(Objects.requireNonNull(user)).writeTo(session, held);
		if (session.getAttribute(SessionAttributes.PRIVILEGE_GRANT) != null) {
			session.removeAttribute(SessionAttributes.PRIVILEGE_GRANT);
		}
		if (session.getAttribute(SessionAttributes.CHALLENGE) != null) {
			// A challenge of the previous login: met by no later one, that user's
			// included
			PendingChallenge.removeFrom(session);
		}
		return unrecorded;
	}

	/**
	 * Return the maximum age of the authentication for a privileged operation of a
	 * session: that of the policy its current user's login gave it; for a session without
	 * such a policy (none, an unreadable one, another user's) never a looser one than the
	 * global one, and never none: the global maximum age where it is enabled, else zero.
	 */
	@Nullable Duration privilegedMaxAge(SessionAttributeSource session) {
		SessionTimeoutPolicy held = heldPolicy(session, StoredState.of(session));
		if (held != null) {
			return held.privilegedMaxAge();
		}
		Duration global = this.settings.getDefaultPolicy().privilegedMaxAge();
		return (global != null) ? global : Duration.ZERO;
	}

	/**
	 * Return the policy the next decision of a session follows, as far as it is known
	 * without its request, as {@link #forDecision} resolves it: the readable policy of
	 * its current user's login that it holds; for a session with a user that holds none,
	 * {@code null}, since its decision gives it the policy of its request's
	 * authentication; else the global one.
	 */
	@Nullable SessionTimeoutPolicy ofNextDecision(SessionAttributeSource session) {
		SessionTimeoutPolicy held = heldPolicy(session, StoredState.of(session));
		if (held != null) {
			return held;
		}
		return (this.principals.nameOf(session) != null) ? null : this.settings.getDefaultPolicy();
	}

	/**
	 * Return whether the next decision of a session resolves its policy from the
	 * authentication of its request ({@link #forDecision}): it has a user, and its state
	 * holds no readable policy of that user's login.
	 */
	boolean resolvesAtNextDecision(SessionAttributeSource session, StoredState state) {
		return heldPolicy(session, state) == null && this.principals.nameOf(session) != null;
	}

	/**
	 * Return the policy a session holds, else the global one.
	 */
	SessionTimeoutPolicy of(SessionAttributeSource session) {
		return SessionAttributes.policy(session, this.settings);
	}

	/**
	 * Return the policy of a session for a decision. A session with an authenticated user
	 * but no readable policy of its own never falls back to the global policy: it gets,
	 * and keeps, the one its authentication gives it. The held state is the one the
	 * decision read: writing its timeline keeps its policy; the timeline is the one the
	 * decision counts from. A state of another user's login that {@link #ofCurrentUser}
	 * turned into one of the session's user is logged here, once, with the policy it
	 * follows from now on.
	 */
	SessionTimeoutPolicy forDecision(SessionAccess session, SessionRequest request, StoredState held,
			boolean anotherUsersLogin, SessionTimeline timeline, Instant now) {
		String text = held.policy();
		SessionTimeoutPolicy stored = (text != null) ? this.settings.storedPolicy(text) : null;
		if (stored != null) {
			return stored;
		}
		SessionTimeoutPolicy resolved = request.authenticatedPolicy();
		if (resolved == null) {
			if (anotherUsersLogin) {
				logger.warn(describe(session) + ANOTHER_USERS_LOGIN);
			}
			return this.settings.getDefaultPolicy();
		}
		String found = anotherUsersLogin ? ANOTHER_USERS_LOGIN + " and follows policy "
				: " held " + ((text != null) ? "an unreadable policy" : "no policy")
						+ " (a login before session-timeout ran, or one that published no"
						+ " InteractiveAuthenticationSuccessEvent): it follows policy ";
		logger.warn(describe(session) + found + resolved.name() + " of its authentication from now on");
		// A login the starter did not record is indexed now, once: before the policy is
		// written, so that if the index fails the next request tries again
		index(session, SessionDeadlines.of(resolved, timeline), now);
		SessionAttributes.writePolicy(session, resolved);
		return resolved;
	}

	private String describe(SessionAccess session) {
		return "Session " + SessionIds.hash(session.getId()) + " of "
				+ this.principals.describe(this.principals.nameOf(session));
	}

}
