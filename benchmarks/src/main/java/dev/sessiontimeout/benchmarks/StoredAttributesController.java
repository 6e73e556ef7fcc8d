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

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpSession;

import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What Spring Session JDBC stores of the caller's session in an in-memory H2 database,
 * which no other process can read: each attribute's name and the length of its bytes, as
 * the store held them before this request. Only the load comparison calls it, after its
 * measured rounds.
 *
 * @author session-timeout
 */
@RestController
@Profile("jdbc-h2")
class StoredAttributesController {

	static final String PATH = "/bench/stored-attributes";

	private final JdbcTemplate jdbcTemplate;

	StoredAttributesController(JdbcTemplate jdbcTemplate) {
		this.jdbcTemplate = jdbcTemplate;
	}

	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> storedAttributes(HttpSession session) {
		Map<String, Object> attributes = new LinkedHashMap<>();
		this.jdbcTemplate.query(StoredSessionBytes.JDBC_ATTRIBUTES_QUERY,
				(RowCallbackHandler) (row) -> attributes.put(row.getString(1), row.getInt(2)), session.getId());
		return attributes;
	}

}
