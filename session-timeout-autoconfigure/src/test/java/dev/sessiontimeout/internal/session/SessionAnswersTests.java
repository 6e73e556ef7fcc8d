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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionAnswers}.
 *
 * @author session-timeout
 */
class SessionAnswersTests {

	@ParameterizedTest
	@ValueSource(strings = { "audio", "audioworklet", "font", "image", "json", "manifest", "paintworklet", "report",
			"script", "serviceworker", "sharedworker", "style", "track", "video", "worker", "xslt", "IMAGE" })
	void isPageResourceWhenABrowserLoadsSomethingAPageUsesThenTrue(String fetchDest) {
		assertThat(SessionAnswers.isPageResource(fetchDest)).isTrue();
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "empty", "websocket", "document", "frame", "iframe", "fencedframe", "object", "embed",
			"Empty", " ", "image ", "unknown" })
	void isPageResourceWhenAScriptsRequestANavigationOrAnUnknownValueThenFalse(String fetchDest) {
		assertThat(SessionAnswers.isPageResource(fetchDest)).isFalse();
	}

}
