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
import java.util.HexFormat;

/**
 * Hashes session ids for logs and events, which never carry a raw id.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public final class SessionIds {

	private SessionIds() {
	}

	/**
	 * Return the first 16 hexadecimal digits of the SHA-256 hash of a session id.
	 * @param sessionId the session id
	 * @return the hash
	 */
	public static String hash(String sessionId) {
		return HexFormat.of().formatHex(sha256(sessionId), 0, 8);
	}

	/**
	 * Return the SHA-256 hash of a session id, in hexadecimal: a key under which a store
	 * can keep something about a session without its id.
	 * @param sessionId the session id
	 * @return the hash
	 */
	public static String key(String sessionId) {
		return HexFormat.of().formatHex(sha256(sessionId));
	}

	private static byte[] sha256(String sessionId) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
		}
	}

}
