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
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A session held in a map, for tests of the session clocks without a web stack.
 */
final class MapSessionAccess implements SessionAccess {

	private final String id = UUID.randomUUID().toString();

	private final Instant creationTime;

	private final Map<String, Object> attributes = new LinkedHashMap<>();

	private int maxInactiveInterval = 1800;

	private boolean invalid;

	MapSessionAccess(Instant creationTime) {
		this.creationTime = creationTime;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public Instant getCreationTime() {
		checkValid();
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
	}

	@Override
	public void removeAttribute(String name) {
		checkValid();
		this.attributes.remove(name);
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

	Set<String> attributeNames() {
		return this.attributes.keySet();
	}

	boolean isInvalid() {
		return this.invalid;
	}

	private void checkValid() {
		if (this.invalid) {
			throw new IllegalStateException("Session invalidated");
		}
	}

}
