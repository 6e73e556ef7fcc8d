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

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link PrivilegeGrants} of one node: sessions that live in its memory (the container's,
 * Spring Session's map), or any store as a last resort. The first request to use a grant
 * gets it.
 * <p>
 * A used grant is remembered by the session's creation instant and the grant itself,
 * never by the session's id: a request that loaded the session before the use and changes
 * its id afterwards saves its copy, grant included, under the new id, where the grant is
 * still the used one. Memory is bounded: the eldest uses are forgotten past
 * {@value #CAPACITY}, and so that a copy saved after that cannot bring a forgotten grant
 * back, no grant that dates an authentication no later than the latest forgotten one is
 * used any more (fail closed: its user authenticates again).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class InMemoryPrivilegeGrants implements PrivilegeGrants {

	private static final int CAPACITY = 10_000;

	/**
	 * A creation instant that no session's clocks record, for a use without one.
	 */
	private static final long UNKNOWN_CREATION = Long.MIN_VALUE;

	private final Object lock = new Object();

	private final Map<Use, Boolean> used = new LinkedHashMap<>(256, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<Use, Boolean> eldest) {
			if (size() <= CAPACITY) {
				return false;
			}
			InMemoryPrivilegeGrants.this.forgottenUpTo = Math.max(InMemoryPrivilegeGrants.this.forgottenUpTo,
					eldest.getKey().grant());
			return true;
		}

	};

	/**
	 * The latest grant that a forgotten use used.
	 */
	private long forgottenUpTo = Long.MIN_VALUE;

	@Override
	public boolean use(String sessionId, long grant) {
		return use(UNKNOWN_CREATION, grant);
	}

	@Override
	public boolean use(String sessionId, Instant createdAt, long grant) {
		return use(createdAt.toEpochMilli(), grant);
	}

	@Override
	public void issued(String sessionId, Instant createdAt, long grant) {
		synchronized (this.lock) {
			this.used.remove(new Use(createdAt.toEpochMilli(), grant));
		}
	}

	private boolean use(long createdAt, long grant) {
		synchronized (this.lock) {
			if (grant <= this.forgottenUpTo) {
				return false;
			}
			return this.used.putIfAbsent(new Use(createdAt, grant), Boolean.TRUE) == null;
		}
	}

	/**
	 * The use of a grant: the session's creation instant, the grant.
	 */
	private record Use(long createdAt, long grant) {
	}

}
