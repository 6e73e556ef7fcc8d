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
package dev.sessiontimeout.internal.actuate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutEvent;

/**
 * Records an {@link AuditEvent} per {@link SessionTimeoutEvent}: type
 * {@value #SESSION_EXPIRED}, {@value #SESSION_REVOKED} or {@value #STEP_UP_CHALLENGED},
 * with the reason, the session id hash, the policy and the deadline; and one of type
 * {@value #STEP_UP_SUCCEEDED} per {@link SessionStepUpEvent}.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutAuditListener implements ApplicationListener<SessionTimeoutEvent> {

	/**
	 * The audit event type of a session ended by its absolute or idle clock, or because
	 * its clocks could not be read (reason {@code invalid}).
	 */
	public static final String SESSION_EXPIRED = "SESSION_EXPIRED";

	/**
	 * The audit event type of a revoked session.
	 */
	public static final String SESSION_REVOKED = "SESSION_REVOKED";

	/**
	 * The audit event type of a challenge to authenticate again.
	 */
	public static final String STEP_UP_CHALLENGED = "SESSION_STEP_UP_CHALLENGED";

	/**
	 * The audit event type of a challenge to authenticate again that its user met.
	 */
	public static final String STEP_UP_SUCCEEDED = "SESSION_STEP_UP_SUCCEEDED";

	private static final String ANONYMOUS = "anonymousUser";

	private final AuditEventRepository repository;

	/**
	 * Create a new listener.
	 * @param repository where audit events go
	 */
	public SessionTimeoutAuditListener(AuditEventRepository repository) {
		this.repository = repository;
	}

	@Override
	public void onApplicationEvent(SessionTimeoutEvent event) {
		audit(event, type(event.getReason()), event.getPrincipal(), event.getReason(), event.getSessionIdHash(),
				event.getPolicy(), event.getDeadline());
	}

	/**
	 * Audit a challenge that was met.
	 * @param event the step-up
	 */
	@EventListener
	public void onStepUp(SessionStepUpEvent event) {
		audit(event, STEP_UP_SUCCEEDED, event.getPrincipal(), event.getReason(), event.getSessionIdHash(),
				event.getPolicy(), null);
	}

	private void audit(ApplicationEvent event, String type, @Nullable String principal, ExpiryReason reason,
			String sessionIdHash, String policy, @Nullable Instant deadline) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("reason", reason.value());
		data.put("session", sessionIdHash);
		data.put("policy", policy);
		if (deadline != null) {
			data.put("deadline", deadline.toString());
		}
		this.repository.add(new AuditEvent(Instant.ofEpochMilli(event.getTimestamp()),
				(principal != null) ? principal : ANONYMOUS, type, data));
	}

	private static String type(ExpiryReason reason) {
		if (!reason.isEnding()) {
			return STEP_UP_CHALLENGED;
		}
		return (reason == ExpiryReason.REVOKED) ? SESSION_REVOKED : SESSION_EXPIRED;
	}

}
