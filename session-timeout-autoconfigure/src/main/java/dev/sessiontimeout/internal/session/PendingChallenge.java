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
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;

/**
 * A challenge to authenticate again that a session's user has not yet met: only the same
 * user, authenticated recently enough, meets it.
 *
 * @param reason {@link ExpiryReason#REAUTHENTICATION} or {@link ExpiryReason#PRIVILEGED}
 * @param maxAge how old the new authentication may be at most
 * @param challengedAt when the user was challenged
 * @param principal the name of the challenged user
 * @param provider the identity provider the user signed in with (an OAuth 2.0 client
 * registration id), or {@code null} for none
 * @author session-timeout
 * @since 0.1.0
 */
public record PendingChallenge(ExpiryReason reason, Duration maxAge, Instant challengedAt, String principal,
		@Nullable String provider) {

	/**
	 * Create a challenge for a user who signed in without an identity provider of the
	 * application's.
	 * @param reason the reason
	 * @param maxAge how old the new authentication may be at most
	 * @param challengedAt when the challenge was raised
	 * @param principal the name of the user who must authenticate again
	 */
	public PendingChallenge(ExpiryReason reason, Duration maxAge, Instant challengedAt, String principal) {
		this(reason, maxAge, challengedAt, principal, null);
	}

	/**
	 * Return whether an authentication is one of the user this challenge is for: the same
	 * name at the same identity provider, so that two providers whose names collide
	 * cannot meet each other's challenges.
	 * @param name the name of the authentication
	 * @param provider its identity provider (an OAuth 2.0 client registration), or
	 * {@code null} for none
	 * @return {@code true} if the authentication is of the same user
	 */
	public boolean isFor(String name, @Nullable String provider) {
		return this.principal.equals(name) && Objects.equals(this.provider, provider);
	}

	/**
	 * Return whether an authentication at the given instant meets this challenge at
	 * {@code now}: it is younger than the maximum age, or, for a maximum age of zero, it
	 * took place after the challenge (to the second, the precision of an OpenID Connect
	 * {@code auth_time}).
	 * @param authenticatedAt when the new authentication took place
	 * @param now the current instant
	 * @return {@code true} if the authentication is recent enough
	 */
	public boolean isMetBy(Instant authenticatedAt, Instant now) {
		if (this.maxAge.isZero()) {
			return isAnsweredBy(authenticatedAt);
		}
		return now.isBefore(authenticatedAt.plus(this.maxAge));
	}

	/**
	 * Return whether an authentication at the given instant took place after this
	 * challenge was raised (to the second, the precision of an OpenID Connect
	 * {@code auth_time}): the user authenticated when asked to, not in an identity
	 * provider's older single sign-on.
	 * @param authenticatedAt when the new authentication took place
	 * @return {@code true} if it took place after the challenge
	 */
	public boolean isAnsweredBy(Instant authenticatedAt) {
		return !authenticatedAt.isBefore(this.challengedAt.truncatedTo(ChronoUnit.SECONDS));
	}

	/**
	 * Return this challenge as text that {@link #decode(String)} reads back.
	 * @return the text
	 */
	public String encode() {
		return this.reason.value() + "," + this.maxAge.toMillis() + "," + this.challengedAt.toEpochMilli() + ","
				+ this.principal;
	}

	/**
	 * Read a challenge written by {@link #encode()}.
	 * @param text the text
	 * @return the challenge, or {@code null} if the text is not an encoded challenge
	 */
	public static @Nullable PendingChallenge decode(String text) {
		String[] parts = text.split(",", 4);
		if (parts.length != 4) {
			return null;
		}
		try {
			ExpiryReason reason = ExpiryReason.valueOf(parts[0].toUpperCase(Locale.ROOT));
			long maxAge = Long.parseLong(parts[1]);
			if (reason.isEnding() || maxAge < 0) {
				return null;
			}
			return new PendingChallenge(reason, Duration.ofMillis(maxAge),
					Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[3]);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Read the pending challenge of a session.
	 * @param session the session
	 * @return the challenge, or {@code null} if there is none
	 */
	public static @Nullable PendingChallenge of(SessionAttributeSource session) {
		PendingChallenge challenge = (session.getAttribute(SessionAttributes.CHALLENGE) instanceof String text)
				? decode(text) : null;
		if (challenge != null
				&& session.getAttribute(SessionAttributes.CHALLENGE_PROVIDER) instanceof String provider) {
			return new PendingChallenge(challenge.reason, challenge.maxAge, challenge.challengedAt, challenge.principal,
					provider);
		}
		return challenge;
	}

	/**
	 * Write this challenge to a session: its {@link #encode() text}, unchanged since the
	 * first version, and its provider in an attribute of its own, so that nodes of either
	 * version read what the other wrote.
	 * @param session the session
	 */
	public void writeTo(SessionAccess session) {
		session.setAttribute(SessionAttributes.CHALLENGE, encode());
		if (this.provider != null) {
			session.setAttribute(SessionAttributes.CHALLENGE_PROVIDER, this.provider);
		}
		else {
			session.removeAttribute(SessionAttributes.CHALLENGE_PROVIDER);
		}
	}

	/**
	 * Remove the pending challenge of a session, if any.
	 * @param session the session
	 */
	public static void removeFrom(SessionAccess session) {
		session.removeAttribute(SessionAttributes.CHALLENGE);
		session.removeAttribute(SessionAttributes.CHALLENGE_PROVIDER);
	}

}
