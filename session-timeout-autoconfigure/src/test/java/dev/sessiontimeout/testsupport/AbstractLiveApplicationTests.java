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
package dev.sessiontimeout.testsupport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A test of an application running on a random port, with a {@link MutableClock} as its
 * {@code sessionTimeoutClock}: before each test the clock stands at the current instant
 * and a new {@link TestBrowser}, without cookies, talks to the application.
 *
 * @author session-timeout
 */
public abstract class AbstractLiveApplicationTests {

	@LocalServerPort
	protected int port;

	@Autowired
	protected MutableClock clock;

	protected TestBrowser browser;

	@BeforeEach
	void startTheClockAndABrowser() {
		this.clock.fixAt(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		this.browser = new TestBrowser(this.port);
	}

}
