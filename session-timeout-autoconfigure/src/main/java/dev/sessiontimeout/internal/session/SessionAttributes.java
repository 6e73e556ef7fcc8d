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

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.PolicyCodec;
import dev.sessiontimeout.internal.policy.SessionDeadlines;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * Keeps a session's {@link SessionTimeline} and the policy it was given in one session
 * attribute of type {@link String}, {@value #STATE}, which every session store and
 * serializer holds, so that every node of a cluster reads the same clocks. It is written
 * only when it changes: activity is recorded to the
 * {@link SessionTimeline#activityPrecision(Duration) precision} of the idle clock.
 * <p>
 * The text is
 * {@code 3;createdAt;lastActivityAt;authenticatedAt;device;address;policy[;user]}: the
 * format's version, epoch milliseconds in decimal (the authentication empty while
 * unknown), what the user's list of sessions shows of the sign-in (the code of the
 * browser and system, the address; each empty where not recorded), the policy as
 * {@link PolicyCodec} writes it (empty while the session holds none), and the fingerprint
 * of the user whose login it recorded ({@code UserFingerprint}; absent where none). For
 * example
 * {@code 3;1764633600000;1764634500000;1764633600000;4.7;;PT1H,PT10M,-,PT5M,0,admins;ElXayqY3}:
 * about 110 bytes with the attribute's name, where the five attributes of version 0.1.0
 * took over 500 with Java serialization. One attribute, not one per datum: stores such as
 * Spring Session's Redis repository deserialize every attribute of a session on every
 * request. Format 2 (without the sign-in's details, which were attributes of their own)
 * is read too. Sessions in that format ({@link #CREATED_AT}, {@link #LAST_ACTIVITY_AT},
 * {@link #AUTHENTICATED_AT}, {@link #POLICY}) are read, and moved to this one at their
 * first change.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionAttributes {

	/**
	 * The prefix of every attribute this starter writes.
	 */
	public static final String PREFIX = "dev.sessiontimeout.";

	/**
	 * A session's clocks and policy, as text.
	 */
	public static final String STATE = "dev.sessiontimeout";

	/**
	 * When the session was created, in the state format of version 0.1.0 (epoch
	 * milliseconds, {@code Long}); read, never written.
	 */
	public static final String CREATED_AT = PREFIX + "createdAt";

	/**
	 * When the session last saw activity, in the state format of version 0.1.0; read,
	 * never written.
	 */
	public static final String LAST_ACTIVITY_AT = PREFIX + "lastActivityAt";

	/**
	 * When the session's user last authenticated, in the state format of version 0.1.0;
	 * read, never written.
	 */
	public static final String AUTHENTICATED_AT = PREFIX + "authenticatedAt";

	/**
	 * The policy given to the session when its user authenticated, in the state format of
	 * version 0.1.0; read, never written.
	 */
	public static final String POLICY = PREFIX + "policy";

	/**
	 * Why a session ended, in a record of the store that remembers it for every node (a
	 * session of its own in a store with an index by user): no user's session.
	 */
	public static final String ENDED_SESSION_RECORD = PREFIX + "endedSession";

	/**
	 * The id of a session in which a user switched to another, in a record of the store
	 * that files the session under the user who switched too (a session of its own in a
	 * store with an index by user, which files the session itself under the user switched
	 * to only): no user's session.
	 */
	public static final String SWITCHED_SESSION_RECORD = PREFIX + "switchedSession";

	/**
	 * The attribute in which an application names the user that a store's own index of
	 * sessions by user (Spring Session's JDBC and Redis {@code indexed} repositories)
	 * files a session under, in place of the name of its security context's user (an
	 * email address, say): Spring Session's
	 * {@code FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME}, named here
	 * without loading Spring Session.
	 */
	public static final String STORE_INDEX_NAME = "org.springframework.session.FindByIndexNameSessionRepository"
			+ ".PRINCIPAL_NAME_INDEX_NAME";

	/**
	 * The attribute in which a WebFlux application names the user that a reactive store's
	 * own index of sessions by user (Spring Session's Redis {@code indexed}) files a
	 * session under: Spring Session's
	 * {@code ReactiveFindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME}, another
	 * name than {@link #STORE_INDEX_NAME}.
	 */
	public static final String REACTIVE_STORE_INDEX_NAME = "PRINCIPAL_NAME_INDEX_NAME";

	/**
	 * The name under which the starter last found a session filed in its store's own
	 * index ({@link #STORE_INDEX_NAME}), so that it indexes the session under its user
	 * once per name the application gives it.
	 */
	public static final String FILED_AS = PREFIX + "filedAs";

	/**
	 * When an operator revoked the session; every node ends it at its next request.
	 */
	public static final String REVOKED_AT = PREFIX + "revokedAt";

	/**
	 * That the session's user signed in with OpenID Connect while back-channel logout was
	 * on, and that the first request after that login looks again for the logouts that
	 * the store keeps for the logins under way: one that reached a node after the login
	 * looked for them and before its session was saved found no session to end. The
	 * instant of the login's own look, as epoch milliseconds in decimal text; removed by
	 * that first request.
	 * @see PendingLogoutCheck
	 */
	public static final String LOGOUT_CHECK_PENDING = PREFIX + "logoutCheckPending";

	/**
	 * The code of a short summary of the browser and the system that the session's user
	 * signed in with, as an attribute of its own, which versions of this starter before
	 * the state's format 3 wrote; read, never written. The state holds it now.
	 * @see #recordSignIn
	 */
	public static final String DEVICE = PREFIX + "device";

	/**
	 * The address that the session's user signed in from, as an attribute of its own,
	 * which versions of this starter before the state's format 3 wrote; read, never
	 * written. The state holds it now.
	 * @see #recordSignIn
	 */
	public static final String ADDRESS = PREFIX + "address";

	/**
	 * The challenge to authenticate again that the session's user has not yet met, as
	 * {@link PendingChallenge#encode() text}.
	 */
	public static final String CHALLENGE = PREFIX + "challenge";

	/**
	 * The identity provider (an OAuth 2.0 client registration id) of the user who must
	 * meet the {@link #CHALLENGE pending challenge}, absent for a user who signed in
	 * without one.
	 */
	public static final String CHALLENGE_PROVIDER = PREFIX + "challengeProvider";

	/**
	 * When the authentication that privileged operations with a maximum age of zero have
	 * not yet used took place, as text: epoch milliseconds in decimal, {@code @}, and a
	 * random nonce of that authentication ({@value #GRANT_NONCE_LENGTH} characters of
	 * base64url), which tells its grant from any other of the session, an earlier login
	 * in the same millisecond included; written only where such operations exist. Grants
	 * of earlier versions (decimal text without a nonce, a {@code Long} in 0.1.0) are
	 * read, never used: their user authenticates again (fail closed).
	 * @see #newGrant(long)
	 */
	public static final String PRIVILEGE_GRANT = PREFIX + "privilegeGrant";

	/**
	 * The length of the nonce of a {@link #PRIVILEGE_GRANT privilege grant}.
	 */
	static final int GRANT_NONCE_LENGTH = 8;

	private static final SecureRandom GRANT_NONCES = new SecureRandom();

	private SessionAttributes() {
	}

	/**
	 * Return the session attribute under which one of Spring Security's session
	 * repositories of OAuth 2.0 authorized clients keeps them (a map of clients by
	 * registration id).
	 * @param repository the repository's class name
	 * @return the attribute, or {@code null} if the repository is not on the class path
	 */
	public static @Nullable String authorizedClientsAttribute(String repository) {
		return ClassUtils.isPresent(repository, SessionAttributes.class.getClassLoader())
				? repository + ".AUTHORIZED_CLIENTS" : null;
	}

	/**
	 * Return the OAuth 2.0 authorized clients (Spring Security's session repositories'
	 * map of clients by registration id) that a session keeps when its user, who had to
	 * authenticate again and whose clients were hidden from the request meanwhile, signs
	 * in with that request after it stored clients of its own (a login callback stores
	 * the client of its registration first): the user's clients, with the stored ones in
	 * place of those of the same registrations, so that none of the user's is lost.
	 * @param kept the clients the session holds for the user, if any
	 * @param stored the clients the request stored
	 * @return the clients the session keeps
	 */
	public static Object authorizedClientsToKeep(@Nullable Object kept, Object stored) {
		if (!(kept instanceof Map<?, ?> users) || users.isEmpty() || !(stored instanceof Map<?, ?> clients)) {
			return stored;
		}
		Map<Object, Object> merged = new HashMap<>(users);
		merged.putAll(clients);
		return merged;
	}

	/**
	 * Return the name under which a store's own index of sessions by user files a session
	 * in place of its user's name: the one the application gave it
	 * ({@link #storeIndexName}), if that is another.
	 * @param session the session's attributes
	 * @param username the name of the session's user
	 * @return the name, or {@code null} if the store files the session under its user
	 */
	public static @Nullable String filedUnderAnotherName(SessionAttributeSource session, String username) {
		String name = storeIndexName(session);
		return (name != null && !name.equals(username)) ? name : null;
	}

	/**
	 * Return the name that the application gave a session in its store's own index of
	 * sessions by user: the servlet stores' attribute ({@link #STORE_INDEX_NAME}), else
	 * the reactive ones' ({@link #REACTIVE_STORE_INDEX_NAME}). A session that holds the
	 * other stack's attribute for a purpose of its own is only indexed by the starter
	 * too.
	 * @param session the session's attributes
	 * @return the name, or {@code null} if the application gave none
	 */
	static @Nullable String storeIndexName(SessionAttributeSource session) {
		if (session.getAttribute(STORE_INDEX_NAME) instanceof String name) {
			return name;
		}
		return (session.getAttribute(REACTIVE_STORE_INDEX_NAME) instanceof String name) ? name : null;
	}

	/**
	 * Return whether a session holds clocks of this starter, in any format, readable or
	 * not: a session that holds none has not been seen by this starter and gets clocks
	 * that start now.
	 * @param session the session's attributes
	 * @return {@code true} if it does
	 */
	public static boolean hasState(SessionAttributeSource session) {
		return StoredState.hasState(session);
	}

	/**
	 * Return whether a session holds this starter's state attribute in a form it cannot
	 * read: not text, another format's version, or instants that are not numbers. Nothing
	 * of it can be trusted, so such a session is never served.
	 * @param session the session's attributes
	 * @return {@code true} if the state is unreadable
	 */
	public static boolean isUnreadable(SessionAttributeSource session) {
		return StoredState.of(session).unreadable();
	}

	/**
	 * Read the timeline of a session.
	 * @param session the session's attributes
	 * @return the timeline, or {@code null} if this starter has not seen the session yet
	 */
	public static @Nullable SessionTimeline read(SessionAttributeSource session) {
		return StoredState.of(session).timeline();
	}

	/**
	 * Write the timeline of a session, keeping the policy it holds, unless it holds both
	 * already.
	 * @param session the session
	 * @param timeline the new timeline
	 * @param previous what the session holds, {@code null} if nothing
	 */
	public static void write(SessionAccess session, SessionTimeline timeline, @Nullable SessionTimeline previous) {
		write(session, timeline, previous, null);
	}

	/**
	 * Write the timeline of a session as
	 * {@link #write(SessionAccess, SessionTimeline, SessionTimeline)} does, telling
	 * whether it holds both already from a state read earlier in the same request, and
	 * writing from that state while the session's state attribute holds the text it was
	 * read from or written as.
	 * @param held the state read earlier in this request, {@code null} to read it now;
	 * within one request nothing adds attributes of version 0.1.0 to the session object
	 * (nodes of 0.1.0 write their own copies), so if it had none the session has none
	 * @return the state the session holds now
	 */
	static StoredState write(SessionAccess session, SessionTimeline timeline, @Nullable SessionTimeline previous,
			@Nullable StoredState held) {
		Object text = session.getAttribute(STATE);
		StoredState known = (held != null) ? held : StoredState.of(session, text);
		if (timeline.equals(previous) && !known.version010() && text != null) {
			return known;
		}
		// The session may have been written since the held state was read: a policy
		// this request gave it, or, on a session object that requests share, another
		// request's write
		StoredState state = (held == null || (text != null && text.equals(held.text()))) ? known
				: StoredState.of(session, text);
		return state.withTimeline(timeline).writeTo(session, state, text);
	}

	/**
	 * Read the timeline of a session as this node trusts it: no instant further ahead of
	 * its clock than {@link SessionTimeline#CLOCK_SKEW_TOLERANCE}.
	 * @param session the session's attributes
	 * @param now the current instant of this node
	 * @return the timeline, or {@code null} if the session has no clocks of this starter
	 * @see SessionTimeline#trustedAt(Instant)
	 */
	public static @Nullable SessionTimeline read(SessionAttributeSource session, Instant now) {
		SessionTimeline timeline = read(session);
		return (timeline != null) ? timeline.trustedAt(now) : null;
	}

	/**
	 * Read the policy of a session: the one it was given when its user authenticated, as
	 * this node applies it (lowered to the current limits, and clock by clock to the
	 * shorter of it and this node's current configuration of the policy of the same name,
	 * so that a tightened clock reaches existing sessions and a lengthened one new logins
	 * only), else the global one.
	 * @param session the session's attributes
	 * @param settings the effective configuration
	 * @return the policy
	 */
	public static SessionTimeoutPolicy policy(SessionAttributeSource session, SessionTimeoutSettings settings) {
		String text = StoredState.of(session).policy();
		SessionTimeoutPolicy stored = (text != null) ? settings.storedPolicy(text) : null;
		return (stored != null) ? stored : settings.getDefaultPolicy();
	}

	/**
	 * Write the policy of a session, unless the session holds it already.
	 * @param session the session
	 * @param policy the policy
	 */
	public static void writePolicy(SessionAccess session, SessionTimeoutPolicy policy) {
		StoredState state = StoredState.of(session);
		String encoded = PolicyCodec.encode(policy);
		if (!encoded.equals(state.policy()) || state.version010() || session.getAttribute(STATE) == null) {
			state.withPolicy(encoded).writeTo(session, state);
		}
	}

	/**
	 * Record what the user's list of sessions shows of the sign-in of a session's user:
	 * the browser and system, and the address it came from.
	 * @param session the session
	 * @param device the code of the {@code DeviceSummary} of the sign-in's
	 * {@code User-Agent}, {@code null} to record none
	 * @param address the address, {@code null} to record none
	 */
	public static void recordSignIn(SessionAccess session, @Nullable String device, @Nullable String address) {
		StoredState state = StoredState.of(session);
		if (state.unreadable()) {
			// Never made readable here: such a session is never served
			return;
		}
		state.withSignIn(field(device), field(address)).writeTo(session, state);
		for (String name : new String[] { DEVICE, ADDRESS }) {
			if (session.getAttribute(name) != null) {
				session.removeAttribute(name);
			}
		}
	}

	/**
	 * Return the code of the summary of the browser and system that a session's user
	 * signed in with.
	 * @param session the session's attributes
	 * @return the code, or {@code null} if none was recorded
	 * @see #recordSignIn
	 */
	public static @Nullable String device(SessionAttributeSource session) {
		String device = StoredState.of(session).device();
		return (device != null) ? device : text(session.getAttribute(DEVICE));
	}

	/**
	 * Return the address that a session's user signed in from.
	 * @param session the session's attributes
	 * @return the address, or {@code null} if none was recorded
	 * @see #recordSignIn
	 */
	public static @Nullable String address(SessionAttributeSource session) {
		String address = StoredState.of(session).address();
		return (address != null) ? address : text(session.getAttribute(ADDRESS));
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String text) ? text : null;
	}

	/**
	 * Return a value as a field of the state's text can hold it: {@code null} for none,
	 * or for one that holds the fields' separator.
	 */
	private static @Nullable String field(@Nullable String value) {
		return (value == null || value.isEmpty() || value.indexOf(';') >= 0) ? null : value;
	}

	/**
	 * Return whether a session is still valid: one that a concurrent request invalidated
	 * throws on every access.
	 * @param session the session
	 * @return {@code true} if the session can be used
	 */
	public static boolean isValid(SessionAccess session) {
		try {
			session.getCreationTime();
			return true;
		}
		catch (IllegalStateException ex) {
			return false;
		}
	}

	/**
	 * Return the timeline of a session that this starter has not seen yet, counted from
	 * the session's creation.
	 * @param session the session
	 * @param now the current instant
	 * @return the timeline
	 */
	public static SessionTimeline adopt(SessionAccess session, Instant now) {
		return SessionTimeline.adopting(session.getCreationTime().truncatedTo(ChronoUnit.MILLIS), now);
	}

	/**
	 * Return the timeline of a session that this starter has not seen yet (or whose state
	 * was lost), counted from the session's creation, its last activity when the store
	 * last saw it accessed before this request, so that a session idle past its deadline
	 * is not given a fresh idle clock (a container's session: the request before this
	 * one). Where that is unknown (WebFlux's own in-memory sessions), or not before the
	 * current instant, the last activity is the current instant.
	 * @param session the session
	 * @param now the current instant
	 * @return the timeline
	 */
	public static SessionTimeline adoptFromLastAccess(SessionAccess session, Instant now) {
		Instant createdAt = session.getCreationTime().truncatedTo(ChronoUnit.MILLIS);
		Instant lastAccessedAt = session.getStoredLastAccessedTime();
		if (lastAccessedAt == null || !lastAccessedAt.isBefore(now)) {
			return SessionTimeline.adopting(createdAt, now);
		}
		lastAccessedAt = lastAccessedAt.truncatedTo(ChronoUnit.MILLIS);
		return SessionTimeline.adopting(createdAt, lastAccessedAt.isBefore(createdAt) ? createdAt : lastAccessedAt);
	}

	/**
	 * Aim the store's own expiry of a session, unless it is aimed there already.
	 * @param session the session
	 * @param lifetime how long the store keeps the session without a request, in whole
	 * seconds, or {@code null} for as long as the store allows
	 */
	public static void expireIn(SessionAccess session, @Nullable Duration lifetime) {
		expireInSeconds(session,
				(lifetime != null) ? (int) Math.min(Integer.MAX_VALUE, lifetime.getSeconds()) : Integer.MAX_VALUE);
	}

	/**
	 * Aim the store's own expiry of a session at the end its deadlines give it plus the
	 * grace ({@link SessionDeadlines#storeLifetime}), unless it is aimed there already.
	 * @param session the session
	 * @param deadlines its deadlines
	 * @param now the current instant
	 * @param grace how long the store keeps an ended session
	 */
	static void expireIn(SessionAccess session, SessionDeadlines deadlines, Instant now, Duration grace) {
		long lifetime = deadlines.storeLifetimeSeconds(now, grace);
		expireInSeconds(session, (lifetime > 0) ? (int) Math.min(Integer.MAX_VALUE, lifetime) : Integer.MAX_VALUE);
	}

	private static void expireInSeconds(SessionAccess session, int seconds) {
		if (session.getMaxInactiveInterval() != seconds) {
			session.setMaxInactiveInterval(seconds);
		}
	}

	static @Nullable Instant instant(@Nullable Object value) {
		Long epochMilli = epochMilli(value);
		return (epochMilli != null) ? Instant.ofEpochMilli(epochMilli) : null;
	}

	/**
	 * Return a new {@link #PRIVILEGE_GRANT privilege grant} of an authentication, with a
	 * nonce of its own.
	 * @param epochMilli when the authentication took place
	 * @return the grant, as text
	 */
	public static String newGrant(long epochMilli) {
		byte[] nonce = new byte[GRANT_NONCE_LENGTH * 3 / 4];
		GRANT_NONCES.nextBytes(nonce);
		return epochMilli + "@" + Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
	}

	/**
	 * Return a {@link #PRIVILEGE_GRANT privilege grant} if it is one that may be used:
	 * text with the nonce of its authentication, as {@link #newGrant(long)} writes it. A
	 * grant of an earlier version carries none, and is never used: a copy of the session
	 * saved after the use could bring it back, where nothing tells it from the grant of a
	 * later login in the same millisecond.
	 * @param value the attribute's value
	 * @return the grant, or {@code null} if it may not be used
	 */
	public static @Nullable String usableGrant(@Nullable Object value) {
		if (!(value instanceof String text)) {
			return null;
		}
		int at = text.indexOf('@');
		if (at <= 0 || text.length() - at - 1 != GRANT_NONCE_LENGTH || parseEpochMilli(text, 0, at) == null) {
			return null;
		}
		for (int i = at + 1; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
				return null;
			}
		}
		return text;
	}

	/**
	 * Read a {@link #PRIVILEGE_GRANT privilege grant}: decimal text with the nonce of its
	 * authentication or without one, or epoch milliseconds as {@link #epochMilli(Object)}
	 * reads them (version 0.1.0).
	 * @param value the attribute's value
	 * @return the epoch milliseconds of the authentication it grants, or {@code null}
	 */
	public static @Nullable Long grantOf(@Nullable Object value) {
		if (value instanceof String text) {
			String usable = usableGrant(text);
			return (usable != null) ? parseEpochMilli(usable, 0, usable.indexOf('@'))
					: parseEpochMilli(text, 0, text.length());
		}
		return epochMilli(value);
	}

	private static @Nullable Long parseEpochMilli(String text, int start, int end) {
		for (int i = start; i < end; i++) {
			if (text.charAt(i) < '0' || text.charAt(i) > '9') {
				return null;
			}
		}
		try {
			return (end > start) ? Long.parseLong(text, start, end, 10) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Read an attribute that holds epoch milliseconds, as the starter writes them
	 * ({@code Long}) or as a session serializer may give them back: a {@code BigInteger},
	 * or a floating-point number with an integral value (JSON serializers that read every
	 * number as a {@code Double}). An {@code Integer} cannot hold epoch milliseconds of
	 * this century, so it is not read as one.
	 * @param value the attribute's value
	 * @return the epoch milliseconds, or {@code null} for anything else
	 */
	public static @Nullable Long epochMilli(@Nullable Object value) {
		if (value instanceof Long epochMilli) {
			return epochMilli;
		}
		if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
			// Too small for epoch milliseconds since 1970-01-25: another unit, or not
			// ours
			return null;
		}
		if (value instanceof Number number) {
			try {
				return new BigDecimal(number.toString()).longValueExact();
			}
			catch (ArithmeticException | NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

}
