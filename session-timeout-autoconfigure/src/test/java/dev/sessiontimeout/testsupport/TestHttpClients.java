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

import io.netty.resolver.DefaultAddressResolverGroup;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty HTTP clients for tests, on event loops of their own rather than Reactor
 * Netty's global ones: an application that a test starts with a
 * {@code SpringApplicationBuilder} uses the global resources, and disposes of them when
 * it closes, which left the next requests of other tests' clients without an answer.
 *
 * @author session-timeout
 */
public final class TestHttpClients {

	private static final LoopResources LOOPS = LoopResources.create("test-http-client", 2, true);

	private TestHttpClients() {
	}

	/**
	 * Return a client that opens a connection of its own for each request.
	 * @return the client
	 */
	public static HttpClient newConnection() {
		return HttpClient.newConnection().runOn(LOOPS).resolver(DefaultAddressResolverGroup.INSTANCE);
	}

}
