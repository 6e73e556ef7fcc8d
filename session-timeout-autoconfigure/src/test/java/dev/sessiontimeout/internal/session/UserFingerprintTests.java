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
import java.util.Arrays;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UserFingerprint}.
 *
 * @author session-timeout
 */
class UserFingerprintTests {

	@Test
	void ofWhenUsersInTurnThenEachTheFirst48BitsOfTheSha256OfProviderAndName() throws Exception {
		for (int round = 0; round < 3; round++) {
			for (String provider : new String[] { null, "https://idp.example", "https://other.example" }) {
				for (String name : new String[] { "alice", "bob", "alice@example.com" }) {
					assertThat(UserFingerprint.of(provider, name)).as("%s %s, round %s", provider, name, round)
						.isEqualTo(expected(provider, name));
				}
			}
		}
		assertThat(UserFingerprint.of("", "alice")).as("no provider").isEqualTo(UserFingerprint.of(null, "alice"));
		assertThat(UserFingerprint.of(null, "alice")).hasSize(8).doesNotContain(";");
	}

	@Test
	void ofWhenMoreUsersThanItKeepsThenKeepsNoMoreAndStaysRight() throws Exception {
		for (int i = 0; i < UserFingerprint.CAPACITY * 2 + 7; i++) {
			assertThat(UserFingerprint.of("https://idp.example", "user" + i)).isNotNull();
			assertThat(UserFingerprint.kept()).isLessThanOrEqualTo(UserFingerprint.CAPACITY);
		}
		for (int i = 0; i < UserFingerprint.CAPACITY * 2 + 7; i += 97) {
			assertThat(UserFingerprint.of("https://idp.example", "user" + i)).as("user%s", i)
				.isEqualTo(expected("https://idp.example", "user" + i));
		}
	}

	private static String expected(@Nullable String provider, String name) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-256")
			.digest((((provider != null) ? provider : "") + "\u0000" + name).getBytes(StandardCharsets.UTF_8));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 6));
	}

}
