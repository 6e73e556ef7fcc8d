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

import jakarta.servlet.http.HttpServletRequest;

/**
 * The request attributes in which Spring Session's {@code SessionRepositoryFilter} keeps
 * what it serves a request, read by name so that nothing of Spring Session is loaded
 * where the container serves the sessions. The name of the request's copy of the session
 * is private to Spring Session: {@code RedisPrivilegeGrantOutageIntegrationTests} shows
 * that dropping it still keeps the copy from being saved.
 *
 * @author session-timeout
 */
final class SpringSessionRequests {

	/**
	 * The attribute that {@code SessionRepositoryFilter} sets in every request whose
	 * sessions it serves ({@code SESSION_REPOSITORY_ATTR}).
	 */
	private static final String REPOSITORY_ATTRIBUTE = "org.springframework.session.SessionRepository";

	/**
	 * The attribute that holds the request's copy of its session, which
	 * {@code SessionRepositoryFilter} saves when the response is committed and after each
	 * dispatch ({@code SESSION_REPOSITORY_ATTR + ".CURRENT_SESSION"}).
	 */
	private static final String CURRENT_SESSION_ATTRIBUTE = REPOSITORY_ATTRIBUTE + ".CURRENT_SESSION";

	private SpringSessionRequests() {
	}

	/**
	 * Return whether Spring Session serves the sessions of a request.
	 * @param request the request
	 * @return {@code true} if Spring Session's filter serves its sessions
	 */
	static boolean servesSessions(HttpServletRequest request) {
		return request.getAttribute(REPOSITORY_ATTRIBUTE) != null;
	}

	/**
	 * Keep Spring Session from saving the request's copy of its session: without it,
	 * nothing is saved.
	 * @param request the request
	 */
	static void dropCurrentSession(HttpServletRequest request) {
		request.removeAttribute(CURRENT_SESSION_ATTRIBUTE);
	}

}
