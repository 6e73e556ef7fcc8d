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
import java.util.Objects;

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
	 * The last fingerprint computed: most requests of a node in a row are of a few users,
	 * and a session's requests are of one.
	 */
	private static volatile @Nullable Computed last;

	private UserFingerprint() {
	}

	static String of(@Nullable String provider, String name) {
		Computed computed = last;
		if (computed != null && computed.name().equals(name) && Objects.equals(computed.provider(), provider)) {
			return computed.fingerprint();
		}
		byte[] digest = sha256()
			.digest((((provider != null) ? provider : "") + '\u0000' + name).getBytes(StandardCharsets.UTF_8));
		byte[] head = new byte[6];
		System.arraycopy(digest, 0, head, 0, head.length);
		String fingerprint = ENCODER.encodeToString(head);
		last = new Computed(provider, name, fingerprint);
		return fingerprint;
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

}
