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
package dev.sessiontimeout.sample;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The account API: {@code GET /api/account/export} answers JSON while the sign-in is
 * younger than the privileged age, and a {@code 401} step-up challenge after it.
 *
 * @author session-timeout
 */
@RestController
class AccountApiController {

	private final AccountExportService exports;

	AccountApiController(AccountExportService exports) {
		this.exports = exports;
	}

	@GetMapping(path = "/api/account/export", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, @Nullable Object> export(Authentication authentication) {
		return this.exports.export(authentication);
	}

}
