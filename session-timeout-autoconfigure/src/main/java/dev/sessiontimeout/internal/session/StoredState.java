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

import java.time.DateTimeException;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.PolicyCodec;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;

/**
 * What a session holds of this starter's state, in either format.
 *
 * @param timeline the clocks, {@code null} if none are held
 * @param device the code of the summary of the browser and system its user signed in
 * with, {@code null} if none is held
 * @param address the address its user signed in from, {@code null} if none is held
 * @param policy the policy as text, {@code null} if none is held
 * @param user the {@link UserFingerprint fingerprint} of the user whose login the state
 * recorded, {@code null} if none is held (no login recorded, or a state written before
 * the fingerprint was)
 * @param version010 whether attributes of the format of version 0.1.0 are held
 * @param unreadable whether the state attribute is held but cannot be read
 * @param text the text of the state attribute that this state was read from or written
 * as, {@code null} for a state derived from another one, or read from a session that
 * holds no such text
 * @author session-timeout
 * @since 0.1.0
 * @see SessionAttributes
 */
record StoredState(@Nullable SessionTimeline timeline, @Nullable String device, @Nullable String address,
		@Nullable String policy, @Nullable String user, boolean version010, boolean unreadable, @Nullable String text) {

	private static final char VERSION = '3';

	/**
	 * The version of the format before the details of the sign-in moved into it (they
	 * were attributes of their own): read, never written.
	 */
	private static final char VERSION_2 = '2';

	private static final String WITHOUT_TIMELINE = ";;;;";

	private static final String[] VERSION_010 = { SessionAttributes.CREATED_AT, SessionAttributes.LAST_ACTIVITY_AT,
			SessionAttributes.AUTHENTICATED_AT, SessionAttributes.POLICY };

	private static final StoredState NONE = new StoredState(null, null, null, null, null, false, false, null);

	private static final StoredState UNREADABLE = new StoredState(null, null, null, null, null, false, true, null);

	/**
	 * The number of texts whose states {@link #READ} keeps.
	 */
	private static final int READ_SLOTS = 256;

	/**
	 * The states last read from the text of a state attribute, each in a slot of its
	 * text, so that the text that a session holds from one request to the next (until its
	 * activity moves at the idle clock's precision) is parsed once, although a store such
	 * as Spring Session's Redis repository gives every request a new copy of it. A state
	 * is immutable, and found again only for an equal text: two texts that share a slot
	 * cost a parse each, never a wrong state.
	 */
	private static final @Nullable StoredState[] READ = new StoredState[READ_SLOTS];

	static StoredState of(SessionAttributeSource session) {
		return of(session, session.getAttribute(SessionAttributes.STATE));
	}

	/**
	 * Read what a session holds, as {@link #of(SessionAttributeSource)} does, given the
	 * value of its state attribute, read already.
	 */
	static StoredState of(SessionAttributeSource session, @Nullable Object value) {
		StoredState state = (value == null) ? NONE : (value instanceof String text) ? read(text) : UNREADABLE;
		if (state.unreadable()) {
			return state;
		}
		StoredState version010 = version010(session);
		if (version010 == null) {
			return state;
		}
		return (value == null || version010.unreadable()) ? version010 : state.stricter(version010);
	}

	/**
	 * Return whether a session holds clocks of this starter, in any format, readable or
	 * not, as {@code of(session)} tells, without reading them where the attribute tells
	 * already.
	 */
	static boolean hasState(SessionAttributeSource session) {
		Object value = session.getAttribute(SessionAttributes.STATE);
		if (value != null && !(value instanceof String text && text.startsWith(WITHOUT_TIMELINE, 1))) {
			// Either a timeline or unreadable
			return true;
		}
		StoredState state = of(session, value);
		return state.timeline() != null || state.unreadable();
	}

	/**
	 * Read the attributes of version 0.1.0, if the session holds any.
	 */
	private static @Nullable StoredState version010(SessionAttributeSource session) {
		Object createdAtValue = session.getAttribute(SessionAttributes.CREATED_AT);
		Object policy = session.getAttribute(SessionAttributes.POLICY);
		if (createdAtValue == null && policy == null) {
			return null;
		}
		Object lastActivityAtValue = session.getAttribute(SessionAttributes.LAST_ACTIVITY_AT);
		Object authenticatedAtValue = session.getAttribute(SessionAttributes.AUTHENTICATED_AT);
		Instant createdAt = SessionAttributes.instant(createdAtValue);
		Instant lastActivityAt = SessionAttributes.instant(lastActivityAtValue);
		Instant authenticatedAt = SessionAttributes.instant(authenticatedAtValue);
		if ((createdAtValue != null && createdAt == null) || (lastActivityAtValue != null && lastActivityAt == null)
				|| (authenticatedAtValue != null && authenticatedAt == null)) {
			// Version 0.1.0 wrote epoch milliseconds only: anything else is not its
			// clocks, and a session whose clocks cannot be read is not served
			return UNREADABLE;
		}
		SessionTimeline timeline = null;
		if (createdAt != null) {
			timeline = new SessionTimeline(createdAt, (lastActivityAt != null) ? lastActivityAt : createdAt,
					authenticatedAt);
		}
		return new StoredState(timeline, null, null,
				(policy instanceof String text) ? text : (policy != null) ? "" : null, null, true, false, null);
	}

	/**
	 * Read the text of a state attribute, as {@link #parse(String)} does, once for texts
	 * read again.
	 */
	private static StoredState read(String text) {
		int slot = slotOf(text);
		StoredState read = READ[slot];
		if (read != null && text.equals(read.text())) {
			return read;
		}
		read = parse(text);
		if (read.text() != null) {
			READ[slot] = read;
		}
		return read;
	}

	/**
	 * Return the slot of a text in {@link #READ}: from its length and the characters that
	 * tell sessions and their activity apart (the last digits of the creation's and of
	 * the last activity's epoch milliseconds, the end of the user's fingerprint), fewer
	 * than its hash code reads.
	 */
	private static int slotOf(String text) {
		int length = text.length();
		int hash = length;
		if (length > 30) {
			// 3;createdAt;lastActivityAt;...: epoch milliseconds of 13 digits each
			for (int i = 10; i < 15; i++) {
				hash = 31 * hash + text.charAt(i);
			}
			for (int i = 24; i < 29; i++) {
				hash = 31 * hash + text.charAt(i);
			}
		}
		for (int i = Math.max(0, length - 2); i < length; i++) {
			hash = 31 * hash + text.charAt(i);
		}
		return (hash ^ (hash >>> 16)) & (READ_SLOTS - 1);
	}

	/**
	 * Read the text of the current format,
	 * {@code 3;createdAt;lastActivityAt;authenticatedAt;device;address;policy[;user]}, or
	 * of version 2, which has no device and address. The user's fingerprint comes last,
	 * so that a node that does not know it reads the policy and the fingerprint as one
	 * unreadable policy, and takes the policy of the session's authentication, rather
	 * than a state it cannot read (no policy name holds {@code ;}).
	 */
	private static StoredState parse(String text) {
		int created = text.indexOf(';');
		int active = text.indexOf(';', created + 1);
		int authenticated = (active >= 0) ? text.indexOf(';', active + 1) : -1;
		int authenticatedEnd = (authenticated >= 0) ? text.indexOf(';', authenticated + 1) : -1;
		if (authenticatedEnd < 0 || created != 1) {
			return UNREADABLE;
		}
		String device = null;
		String address = null;
		int policy = authenticatedEnd + 1;
		char version = text.charAt(0);
		if (version == VERSION) {
			int deviceEnd = text.indexOf(';', authenticatedEnd + 1);
			int addressEnd = (deviceEnd >= 0) ? text.indexOf(';', deviceEnd + 1) : -1;
			if (addressEnd < 0) {
				return UNREADABLE;
			}
			device = (deviceEnd > authenticatedEnd + 1) ? text.substring(authenticatedEnd + 1, deviceEnd) : null;
			address = (addressEnd > deviceEnd + 1) ? text.substring(deviceEnd + 1, addressEnd) : null;
			policy = addressEnd + 1;
		}
		else if (version != VERSION_2) {
			return UNREADABLE;
		}
		// The policy and the user cut from the text itself, not from a copy of its rest
		String policyText = null;
		String user = null;
		if (policy < text.length()) {
			int policyEnd = (version == VERSION) ? text.indexOf(';', policy) : -1;
			if (policyEnd >= 0) {
				user = (policyEnd + 1 < text.length()) ? text.substring(policyEnd + 1) : null;
				policyText = (policyEnd > policy) ? text.substring(policy, policyEnd) : null;
			}
			else {
				policyText = text.substring(policy);
			}
		}
		if (active == created + 1 && authenticated == active + 1 && authenticatedEnd == authenticated + 1) {
			return new StoredState(null, device, address, policyText, user, false, false, text);
		}
		try {
			SessionTimeline timeline = new SessionTimeline(epochMilliAt(text, created + 1, active),
					epochMilliAt(text, active + 1, authenticated), (authenticatedEnd == authenticated + 1) ? null
							: epochMilliAt(text, authenticated + 1, authenticatedEnd));
			return new StoredState(timeline, device, address, policyText, user, false, false, text);
		}
		catch (NumberFormatException | DateTimeException ex) {
			return UNREADABLE;
		}
	}

	private static Instant epochMilliAt(String text, int begin, int end) {
		return Instant.ofEpochMilli(Long.parseLong(text, begin, end, 10));
	}

	/**
	 * Return what both this state and attributes of version 0.1.0 hold, which a node of
	 * that version wrote after this one moved the session to the current format: the
	 * earlier of each instant (an unknown authentication only where both are unknown),
	 * and clock by clock the shorter policy, so that neither node's view makes the
	 * session live longer.
	 */
	private StoredState stricter(StoredState version010) {
		SessionTimeline timeline = this.timeline;
		SessionTimeline other = version010.timeline();
		if (timeline == null) {
			timeline = other;
		}
		else if (other != null) {
			timeline = new SessionTimeline(earlier(timeline.createdAt(), other.createdAt()),
					earlier(timeline.lastActivityAt(), other.lastActivityAt()),
					earlier(timeline.authenticatedAt(), other.authenticatedAt()));
		}
		return new StoredState(timeline, this.device, this.address, stricterPolicy(this.policy, version010.policy()),
				this.user, true, false, this.text);
	}

	private static @Nullable Instant earlier(@Nullable Instant first, @Nullable Instant second) {
		if (first == null || second == null) {
			return (first != null) ? first : second;
		}
		return first.isBefore(second) ? first : second;
	}

	private static @Nullable String stricterPolicy(@Nullable String first, @Nullable String second) {
		SessionTimeoutPolicy firstPolicy = (first != null) ? PolicyCodec.decode(first) : null;
		SessionTimeoutPolicy secondPolicy = (second != null) ? PolicyCodec.decode(second) : null;
		if (firstPolicy == null || secondPolicy == null) {
			return (firstPolicy != null) ? first : (secondPolicy != null) ? second : first;
		}
		return PolicyCodec.encode(SessionTimeoutSettings.stricter(firstPolicy, secondPolicy));
	}

	StoredState withTimeline(SessionTimeline timeline) {
		return new StoredState(timeline, this.device, this.address, this.policy, this.user, false, false, null);
	}

	StoredState withPolicy(String policy) {
		return new StoredState(this.timeline, this.device, this.address, policy, this.user, false, false, null);
	}

	StoredState withSignIn(@Nullable String device, @Nullable String address) {
		return new StoredState(this.timeline, device, address, this.policy, this.user, false, false, null);
	}

	StoredState withUser(@Nullable String user) {
		return new StoredState(this.timeline, this.device, this.address, this.policy, user, false, false, null);
	}

	/**
	 * Return this state as the recorded login of a user: the given clocks and policy, and
	 * the user's fingerprint; what the session records of its sign-in is kept. A state
	 * that could not be read is replaced.
	 */
	StoredState asRecordedLogin(SessionTimeline timeline, String policy, @Nullable String user) {
		return new StoredState(timeline, this.device, this.address, policy, user, false, false, null);
	}

	/**
	 * Return this state as a login of the given user that recorded no time: no
	 * authentication instant, no policy (the decision gives it the one of the session's
	 * authentication), the user's fingerprint.
	 */
	StoredState asUnrecordedLoginOf(String user) {
		SessionTimeline unknown = (this.timeline != null)
				? new SessionTimeline(this.timeline.createdAt(), this.timeline.lastActivityAt(), null) : null;
		return new StoredState(unknown, this.device, this.address, null, user, false, false, null);
	}

	/**
	 * Write this state as the session's one attribute of state, unless it holds that text
	 * already, and remove the attributes of version 0.1.0 that it held.
	 * @return this state as written, with its text
	 */
	StoredState writeTo(SessionAccess session, StoredState held) {
		return writeTo(session, held, session.getAttribute(SessionAttributes.STATE));
	}

	/**
	 * Write this state as {@link #writeTo(SessionAccess, StoredState)} does, given the
	 * value of the session's state attribute, read already.
	 * @return this state as written, with its text
	 */
	StoredState writeTo(SessionAccess session, StoredState held, @Nullable Object current) {
		StringBuilder text = new StringBuilder(96).append(VERSION).append(';');
		if (this.timeline != null) {
			text.append(this.timeline.createdAt().toEpochMilli())
				.append(';')
				.append(this.timeline.lastActivityAt().toEpochMilli())
				.append(';');
			if (this.timeline.authenticatedAt() != null) {
				text.append(this.timeline.authenticatedAt().toEpochMilli());
			}
		}
		else {
			text.append(";;");
		}
		text.append(';');
		if (this.device != null) {
			text.append(this.device);
		}
		text.append(';');
		if (this.address != null) {
			text.append(this.address);
		}
		text.append(';');
		if (this.policy != null) {
			text.append(this.policy);
		}
		if (this.user != null) {
			text.append(';').append(this.user);
		}
		String encoded = text.toString();
		if (!encoded.equals(current)) {
			session.setAttribute(SessionAttributes.STATE, encoded);
		}
		if (held.version010()) {
			for (String name : VERSION_010) {
				if (session.getAttribute(name) != null) {
					session.removeAttribute(name);
				}
			}
		}
		return new StoredState(this.timeline, this.device, this.address, this.policy, this.user, false, false, encoded);
	}

}
