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
package dev.sessiontimeout.internal.security;

import org.springframework.test.context.TestPropertySource;

/**
 * The tests of {@link ReauthenticationEverywhereIntegrationTests} with
 * {@code session-timeout.watch-streamed-responses=false}: a request whose user must
 * authenticate again still runs unauthenticated, in its own dispatch and in its
 * asynchronous one, although the application gets no wrapper of the starter's around the
 * request for the requests it serves as they are.
 */
@TestPropertySource(properties = "session-timeout.watch-streamed-responses=false")
class ReauthenticationEverywhereUnwatchedIntegrationTests extends ReauthenticationEverywhereIntegrationTests {

}
