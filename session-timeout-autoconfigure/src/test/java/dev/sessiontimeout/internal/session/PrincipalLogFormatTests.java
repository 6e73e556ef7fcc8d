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

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrincipalLogFormat}.
 *
 * @author session-timeout
 */
class PrincipalLogFormatTests {

	@Test
	void describeWhenNoPrincipalThenAnonymous() {
		assertThat(PrincipalLogFormat.NAME.describe(null)).isEqualTo("anonymous");
		assertThat(PrincipalLogFormat.HASH.describe(null)).isEqualTo("anonymous");
	}

	@Test
	void describeWhenPlainNameThenAsItIs() {
		assertThat(PrincipalLogFormat.NAME.describe("alice@example.com")).isEqualTo("alice@example.com");
		assertThat(PrincipalLogFormat.NAME.describe("Zoë 日本 O'Brien")).isEqualTo("Zoë 日本 O'Brien");
	}

	@Test
	void describeWhenLineBreaksThenEscapedOnOneLine() {
		assertThat(PrincipalLogFormat.NAME.describe("mallory\n2026-12-01 INFO forged\r\tend"))
			.isEqualTo("mallory\\n2026-12-01 INFO forged\\r\\tend")
			.doesNotContain("\n", "\r", "\t");
	}

	@Test
	void describeWhenBackslashThenDoubledSoThatEscapesCannotBeFaked() {
		assertThat(PrincipalLogFormat.NAME.describe("a\\nb")).isEqualTo("a\\\\nb");
	}

	@Test
	void describeWhenOtherControlSeparatorOrFormatCharactersThenUnicodeEscapes() {
		assertThat(PrincipalLogFormat.NAME.describe("a\u0000b\u001bc\u0085d\u2028e\u2029f\u202eg\u200bh"))
			.isEqualTo("a\\u0000b\\u001bc\\u0085d\\u2028e\\u2029f\\u202eg\\u200bh");
	}

	@Test
	void describeWhenHashThenTheSameShortHashForTheSameNameAndNoName() {
		String hash = PrincipalLogFormat.HASH.describe("mallory\nforged");
		assertThat(hash).matches("user-[0-9a-f]{16}")
			.isEqualTo("user-" + SessionIds.hash("mallory\nforged"))
			.isEqualTo(PrincipalLogFormat.HASH.describe("mallory\nforged"))
			.isNotEqualTo(PrincipalLogFormat.HASH.describe("mallory"));
	}

}
