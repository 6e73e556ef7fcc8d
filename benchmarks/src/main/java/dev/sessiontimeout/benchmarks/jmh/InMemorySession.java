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
package dev.sessiontimeout.benchmarks.jmh;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.serializer.support.SerializingConverter;

import dev.sessiontimeout.internal.session.SessionAccess;

/**
 * A session held in a {@link HashMap}, which records the attributes written since the
 * last {@link #flush}, as Spring Session's stores record the delta they write on save.
 *
 * @author session-timeout
 */
final class InMemorySession implements SessionAccess {

	private static final SerializingConverter serializer = new SerializingConverter();

	private final String id;

	private final Instant creationTime;

	private final Map<String, Object> attributes;

	private final Map<String, @Nullable Object> delta = new LinkedHashMap<>();

	private int maxInactiveInterval = 1800;

	private boolean invalid;

	InMemorySession(String id, Instant creationTime) {
		this(id, creationTime, new HashMap<>());
	}

	private InMemorySession(String id, Instant creationTime, Map<String, Object> attributes) {
		this.id = id;
		this.creationTime = creationTime;
		this.attributes = attributes;
	}

	/**
	 * Return a copy of this session's attributes under another id, as a store would load
	 * it: nothing written yet.
	 * @param id the copy's id
	 * @return the copy
	 */
	InMemorySession copy(String id) {
		InMemorySession copy = new InMemorySession(id, this.creationTime, new HashMap<>(this.attributes));
		copy.maxInactiveInterval = this.maxInactiveInterval;
		return copy;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public Instant getCreationTime() {
		return this.creationTime;
	}

	@Override
	public @Nullable Object getAttribute(String name) {
		checkValid();
		return this.attributes.get(name);
	}

	@Override
	public void setAttribute(String name, Object value) {
		checkValid();
		this.attributes.put(name, value);
		this.delta.put(name, value);
	}

	@Override
	public void removeAttribute(String name) {
		checkValid();
		this.attributes.remove(name);
		this.delta.put(name, null);
	}

	@Override
	public int getMaxInactiveInterval() {
		return this.maxInactiveInterval;
	}

	@Override
	public void setMaxInactiveInterval(int seconds) {
		this.maxInactiveInterval = seconds;
	}

	@Override
	public void invalidate() {
		checkValid();
		this.invalid = true;
	}

	boolean isInvalid() {
		return this.invalid;
	}

	/**
	 * Serialize the attributes written since the last flush with JDK serialization, as
	 * Spring Session Data Redis and JDBC do by default on save, and forget them.
	 * @return the bytes of the serialized values plus those of the attribute names
	 */
	long flush() {
		long bytes = 0;
		for (Map.Entry<String, @Nullable Object> written : this.delta.entrySet()) {
			bytes += written.getKey().length();
			Object value = written.getValue();
			if (value != null) {
				bytes += serializer.convert(value).length;
			}
		}
		this.delta.clear();
		return bytes;
	}

	/**
	 * Return the names of the attributes written since the last flush.
	 * @return the names
	 */
	Iterable<String> written() {
		return this.delta.keySet();
	}

	private void checkValid() {
		if (this.invalid) {
			throw new IllegalStateException("Session invalidated");
		}
	}

}
