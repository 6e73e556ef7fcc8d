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

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

import dev.sessiontimeout.internal.session.WeakIdentityKey;

/**
 * The authorities of the authentications that requests held when their bearer token was
 * about to be authenticated (the user of the session that a request sent along): Spring
 * Security 7.1's {@code BearerTokenAuthenticationFilter} adds them to the token's
 * authentication, whoever that user is, as the very same objects. They are held weakly
 * and found by identity, so that an authority that the token's own converter made, even
 * of the same name, is never taken for one of them.
 *
 * @author session-timeout
 */
final class CarriedAuthorities {

	private final ReferenceQueue<Object> released = new ReferenceQueue<>();

	private final Map<WeakIdentityKey, Boolean> authorities = new ConcurrentHashMap<>();

	/**
	 * Remember the authorities of an authentication that a request held before its bearer
	 * token was authenticated.
	 * @param authentication the authentication
	 */
	void add(Authentication authentication) {
		forgetReleased();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			this.authorities.putIfAbsent(new WeakIdentityKey(authority, this.released), Boolean.TRUE);
		}
	}

	/**
	 * Return whether an authority is one of an authentication that a request held before
	 * its bearer token was authenticated: the same object.
	 * @param authority the authority
	 * @return {@code true} if it may have been carried over into a token's authentication
	 */
	boolean contains(GrantedAuthority authority) {
		return !this.authorities.isEmpty() && this.authorities.containsKey(new WeakIdentityKey(authority, null));
	}

	private void forgetReleased() {
		for (Reference<?> key = this.released.poll(); key != null; key = this.released.poll()) {
			this.authorities.remove(key);
		}
	}

}
