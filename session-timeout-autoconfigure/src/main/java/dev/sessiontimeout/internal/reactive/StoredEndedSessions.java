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
package dev.sessiontimeout.internal.reactive;

import java.time.Instant;

import reactor.core.publisher.Mono;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.EndedSessions;

/**
 * Why sessions ended, as a store that every node shares remembers it: read, without
 * blocking, for a request that names a session that neither the session store nor this
 * node knows, so that it is answered with the reason its session ended on another node.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@FunctionalInterface
public interface StoredEndedSessions {

	/**
	 * Return why a session ended.
	 * @param sessionId the id of a session that the store does not know
	 * @param now the current instant of the clock of every decision
	 * @return the reason, or empty if the store does not remember the session (any more)
	 */
	Mono<ExpiryReason> reasonInStore(String sessionId, Instant now);

	/**
	 * Return what the store remembers under a key, with until when, if it still does.
	 * @param sessionId the key
	 * @param now the current instant of the clock of every decision
	 * @return the entry, or empty if the store does not remember the key (any more), or
	 * does not tell (the default)
	 */
	default Mono<EndedSessions.Entry> entryInStore(String sessionId, Instant now) {
		return Mono.empty();
	}

	/**
	 * Remember something under a key in the store, and complete once the store has it.
	 * @param sessionId the key
	 * @param reason the reason
	 * @param until when to forget it
	 * @param now the current instant of the clock of every decision
	 * @return completes once stored, or with the store's error; an
	 * {@link UnsupportedOperationException} by default
	 */
	default Mono<Void> rememberInStore(String sessionId, ExpiryReason reason, Instant until, Instant now) {
		return Mono.error(new UnsupportedOperationException("This store keeps nothing for every node"));
	}

	/**
	 * Remember a record under a key in the store, with the text it carries, if any, and
	 * complete once the store has it.
	 * @param key the key
	 * @param entry the record
	 * @param now the current instant of the clock of every decision
	 * @return completes once stored, or with the store's error; an
	 * {@link UnsupportedOperationException} if the record carries text (the default)
	 */
	default Mono<Void> rememberInStore(String key, EndedSessions.Entry entry, Instant now) {
		return (entry.value() != null)
				? Mono.error(new UnsupportedOperationException("This store keeps no text with its records"))
				: rememberInStore(key, entry.reason(), entry.until(), now);
	}

}
