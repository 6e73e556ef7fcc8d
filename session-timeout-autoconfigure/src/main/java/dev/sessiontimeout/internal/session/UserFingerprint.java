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

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A short fingerprint of a user, which a session's state keeps of the user whose login it
 * recorded, so that a decision tells when another user is signed into the session (by the
 * application's own code, which the starter does not see) without a name in the store:
 * the first 48 bits of the SHA-256 of the identity provider and the name, in eight
 * characters of unpadded base64url (no {@code ;}, the state's separator).
 *
 * @author session-timeout
 */
final class UserFingerprint {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	/**
	 * How many users' fingerprints are kept: a node's requests come from many users in
	 * turn, and a fingerprint is asked for on every request of a signed-in session.
	 */
	static final int CAPACITY = 4096;

	/**
	 * The fingerprints computed, by provider and name, emptied when full (no order to
	 * keep on every request): computing one digests with SHA-256.
	 */
	private static final Map<User, String> computed = new ConcurrentHashMap<>();

	/**
	 * The last fingerprint computed, for the requests of one user in a row, which then
	 * allocate nothing.
	 */
	private static volatile @Nullable Computed last;

	private UserFingerprint() {
	}

	static String of(@Nullable String provider, String name) {
		Computed lastComputed = last;
		if (lastComputed != null && lastComputed.name().equals(name)
				&& Objects.equals(lastComputed.provider(), provider)) {
			return lastComputed.fingerprint();
		}
		User user = new User(provider, name);
		String fingerprint = computed.get(user);
		if (fingerprint != null) {
			return fingerprint;
		}
		fingerprint = compute(provider, name);
		if (computed.size() >= CAPACITY) {
			computed.clear();
		}
		computed.put(user, fingerprint);
		last = new Computed(provider, name, fingerprint);
		return fingerprint;
	}

	/**
	 * Return how many fingerprints are kept.
	 * @return their number
	 */
	static int kept() {
		return computed.size();
	}

	private static String compute(@Nullable String provider, String name) {
		byte[] digest = sha256()
			.digest((((provider != null) ? provider : "") + '\u0000' + name).getBytes(StandardCharsets.UTF_8));
		byte[] head = new byte[6];
		System.arraycopy(digest, 0, head, 0, head.length);
		return ENCODER.encodeToString(head);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Computed(@Nullable String provider, String name, String fingerprint) {
	}

	private record User(@Nullable String provider, String name) {
	}

}
