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
package dev.sessiontimeout.autoconfigure;

import org.junit.jupiter.api.Test;

import dev.sessiontimeout.testsupport.ReadmeSnippets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java code block of the README compiles, as a user would paste it into an
 * application (the test support's section is compiled and run by its own module).
 */
class ReadmeSnippetsTests {

	@Test
	void everyJavaCodeBlockOfTheReadmeCompiles() {
		ReadmeSnippets readme = ReadmeSnippets.compiled();
		assertThat(readme.blocks()).extracting(ReadmeSnippets.Block::className)
			.contains("com.example.demo.PayoutService", "com.example.demo.UnknownDeviceConfiguration",
					"com.example.demo.LoginPageSecurityConfiguration", "com.example.demo.LoginController",
					"com.example.demo.ActuatorSecurityConfiguration", "com.example.demo.ReactiveSecurityConfiguration",
					"com.example.demo.ReactivePayoutService", "com.example.demo.LettuceReadingConfiguration",
					"com.example.demo.ReactiveUnknownDeviceConfiguration");
		readme.blocks().forEach((block) -> assertThat(readme.load(block.className())).isNotNull());
	}

}
