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
package dev.sessiontimeout.stores;

import java.util.Arrays;
import java.util.stream.Stream;

import org.springframework.test.context.TestPropertySource;

/**
 * The store tests on Spring Session's default {@code RedisSessionRepository} with session
 * attributes serialized as JSON (Jackson, with Spring Security's modules) instead of Java
 * serialization: numbers come back as whatever JSON makes of them.
 */
@TestPropertySource(properties = "test.session.serializer=json")
class RedisJsonSessionStoreIntegrationTests extends RedisSessionStoreIntegrationTests {

	@Override
	String[] secondInstanceProperties() {
		return Stream.concat(Arrays.stream(super.secondInstanceProperties()), Stream.of("test.session.serializer=json"))
			.toArray(String[]::new);
	}

}
