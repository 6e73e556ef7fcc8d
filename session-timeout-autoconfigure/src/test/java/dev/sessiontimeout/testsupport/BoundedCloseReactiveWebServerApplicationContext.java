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

import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;

/**
 * A reactive web server application context whose close ends within a bound
 * ({@link BoundedClose}): Spring's {@code ReactorResourceFactory.stop()} blocks without a
 * bound on the disposal of its connection provider, which never ends when the listener of
 * a channel's close is refused by an event loop already shut down ("Failed to submit a
 * listener notification task. Event loop shut down?"). That hung the test JVM of
 * {@code ReactiveOidcBackChannelLogoutIntegrationTests} twice, at the close of a relying
 * party whose test had passed. An application built with it should not register Spring
 * Boot's shutdown hook ({@code registerShutdownHook(false)}), which would wait up to ten
 * minutes at the JVM's exit for a close left to go on in the background.
 *
 * @author session-timeout
 */
public class BoundedCloseReactiveWebServerApplicationContext
		extends AnnotationConfigReactiveWebServerApplicationContext {

	/**
	 * The factory of such contexts, for {@code SpringApplicationBuilder.contextFactory}.
	 */
	public static final ApplicationContextFactory FACTORY = ApplicationContextFactory
		.of(BoundedCloseReactiveWebServerApplicationContext::new);

	@Override
	public void close() {
		BoundedClose.close(new AutoCloseable() {

			@Override
			public void close() {
				BoundedCloseReactiveWebServerApplicationContext.super.close();
			}

			@Override
			public String toString() {
				// Named in a warning of a close that did not end
				return BoundedCloseReactiveWebServerApplicationContext.this.toString();
			}

		});
	}

}
