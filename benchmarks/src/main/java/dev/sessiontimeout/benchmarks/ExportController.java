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
package dev.sessiontimeout.benchmarks;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * A privileged operation that the load never calls, present only with
 * {@code -Dbenchmark.privileged-operation=true} (through {@code --jvm-options}): an
 * application that has one pays for what the starter does then on every request (it
 * remembers each request's session state for privileged calls on other threads), which
 * the comparison measures that way.
 *
 * @author session-timeout
 */
@RestController
@ConditionalOnBooleanProperty("benchmark.privileged-operation")
class ExportController {

	@RequiresPrivilegedSession
	@GetMapping(path = "/api/export", produces = MediaType.APPLICATION_JSON_VALUE)
	public Map<String, Object> export(Authentication authentication) {
		return Map.of("name", authentication.getName(), "exported", true);
	}

}
