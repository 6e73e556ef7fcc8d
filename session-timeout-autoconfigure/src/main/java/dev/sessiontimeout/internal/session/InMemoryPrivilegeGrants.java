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

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link PrivilegeGrants} of one node: sessions that live in its memory (the container's,
 * Spring Session's map), or any store as a last resort. The first request to use a grant
 * gets it.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class InMemoryPrivilegeGrants implements PrivilegeGrants {

	private static final int CAPACITY = 10_000;

	private final Map<String, Long> used = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > CAPACITY;
		}

	});

	@Override
	public boolean use(String sessionId, long grant) {
		Long previous = this.used.put(SessionIds.key(sessionId), grant);
		return previous == null || previous != grant;
	}

}
