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

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The headers and cookies of a response as they were at some point, to take back what was
 * set of them since.
 *
 * @author session-timeout
 */
final class ResponseSnapshot {

	private final HttpHeaders headers = new HttpHeaders();

	private final MultiValueMap<String, ResponseCookie> cookies = new LinkedMultiValueMap<>();

	ResponseSnapshot(ServerHttpResponse response) {
		this.headers.addAll(response.getHeaders());
		this.cookies.addAll(response.getCookies());
	}

	/**
	 * Take back the headers and cookies set of the response since the snapshot.
	 */
	void restore(ServerHttpResponse response) {
		HttpHeaders headers = response.getHeaders();
		headers.clear();
		headers.addAll(this.headers);
		MultiValueMap<String, ResponseCookie> cookies = response.getCookies();
		cookies.clear();
		cookies.addAll(this.cookies);
	}

}
