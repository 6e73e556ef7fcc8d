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

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Who a session's user is, for the collaborators of the {@link SessionClocks}: the name
 * and identity provider the {@link SessionPrincipalResolver} finds, and how log lines
 * name the user ({@link PrincipalLogFormat}). One instance is shared, so that setting
 * either reaches every collaborator.
 *
 * @author session-timeout
 */
final class SessionPrincipals {

	private SessionPrincipalResolver resolver = SessionPrincipalResolver.NONE;

	private PrincipalLogFormat logFormat = PrincipalLogFormat.NAME;

	void setResolver(SessionPrincipalResolver resolver) {
		this.resolver = resolver;
	}

	void setLogFormat(PrincipalLogFormat logFormat) {
		this.logFormat = logFormat;
	}

	@Nullable String nameOf(SessionAttributeSource session) {
		return this.resolver.resolve(session);
	}

	@Nullable String providerOf(SessionAttributeSource session) {
		return this.resolver.provider(session);
	}

	SessionPrincipalResolver.@Nullable User userOf(SessionAttributeSource session) {
		return this.resolver.user(session);
	}

	List<String> switchedFrom(SessionAttributeSource session) {
		return this.resolver.switchedFrom(session);
	}

	List<SessionPrincipalResolver.User> switchedFromUsers(SessionAttributeSource session) {
		return this.resolver.switchedFromUsers(session);
	}

	/**
	 * Return how a log line names a user.
	 */
	String describe(@Nullable String principal) {
		return this.logFormat.describe(principal);
	}

}
