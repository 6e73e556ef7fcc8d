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
package dev.sessiontimeout.internal.web;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DeviceSummary}.
 *
 * @author session-timeout
 */
class DeviceSummaryTests {

	@ParameterizedTest(name = "{1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0 | Firefox on Linux
					Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 | Chrome on Windows
					Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0 | Edge on Windows
					Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15 | Safari on macOS
					Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 | Safari on iOS
					Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1 | Chrome on iOS
					Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 | Chrome on Android
					Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36 | Samsung Internet on Android
					Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 | Chrome on ChromeOS
					Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0 | Opera on Windows
					Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36 | Chrome on Linux
					curl/8.11.0 | curl
					Java-http-client/17.0.13 | Java
					Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro) | Windows
					<script>alert(1)</script> | Unknown device
					""")
	void ofWhenTheHeaderNamesABrowserOrASystemThenNamesThem(String userAgent, String summary) {
		assertThat(DeviceSummary.of(userAgent)).isEqualTo(summary);
	}

	@Test
	void ofWhenTheRequestHasNoHeaderThenUnknown() {
		assertThat(DeviceSummary.of(null)).isEqualTo(DeviceSummary.UNKNOWN);
	}

	@Test
	void codeIsTheStoredFormOfTheSummaryInAFewCharacters() {
		assertThat(DeviceSummary.code("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"))
			.isEqualTo("4.7");
		assertThat(DeviceSummary.describe("4.7")).isEqualTo("Firefox on Linux");
		assertThat(DeviceSummary.code(null)).isEqualTo("0.0");
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", "0.0", "4", ".", "99.99", "-1.-1", "x.y", "4.7.1", "2147483648.0" })
	void describeWhenTheCodeNamesNothingThenUnknown(String code) {
		assertThat(DeviceSummary.describe(code)).isIn(DeviceSummary.UNKNOWN, "Firefox");
	}

	@Property
	void describeOfAnyStoredTextIsASummaryNeverAFailure(@ForAll String code) {
		assertThat(DeviceSummary.describe(code)).isNotBlank().hasSizeLessThanOrEqualTo(32);
	}

}
