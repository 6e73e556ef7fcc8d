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

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

import org.jspecify.annotations.Nullable;

/**
 * A weak reference as the key of a map, equal to another only for the same object, so
 * that the map finds what it holds of an object (an authentication, an authority) by
 * identity and never keeps the object alive.
 *
 * @author session-timeout
 */
public final class WeakIdentityKey extends WeakReference<Object> {

	private final int hash;

	/**
	 * Create a key.
	 * @param referent the object
	 * @param queue where the key is enqueued once its object is collected, so that the
	 * map can forget it; {@code null} for a key that only looks up
	 */
	public WeakIdentityKey(Object referent, @Nullable ReferenceQueue<Object> queue) {
		super(referent, queue);
		this.hash = System.identityHashCode(referent);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof WeakIdentityKey key) || key.hash != this.hash) {
			return false;
		}
		Object referent = get();
		return referent != null && referent == key.get();
	}

	@Override
	public int hashCode() {
		return this.hash;
	}

}
