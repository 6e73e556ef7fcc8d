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
package dev.sessiontimeout.internal.web;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.mock.web.MockHttpServletRequest;

/**
 * A {@link MockHttpServletRequest} that records the name of every attribute set on it,
 * for tests that the filters keep no bookkeeping of their own on a request.
 *
 * @author session-timeout
 */
class AttributeRecordingRequest extends MockHttpServletRequest {

	private final List<String> setAttributes = new ArrayList<>();

	AttributeRecordingRequest(String method, String requestUri) {
		super(method, requestUri);
	}

	@Override
	public void setAttribute(String name, @Nullable Object value) {
		this.setAttributes.add(name);
		super.setAttribute(name, value);
	}

	/**
	 * Return the names of the attributes set so far, in order.
	 * @return the names
	 */
	List<String> setAttributes() {
		return this.setAttributes;
	}

}
