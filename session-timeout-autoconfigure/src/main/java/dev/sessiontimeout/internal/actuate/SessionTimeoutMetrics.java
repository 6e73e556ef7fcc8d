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

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeoutEvent;

/**
 * Counts {@link SessionTimeoutEvent}s: {@value #EXPIRED} with tag {@code reason} for
 * ended sessions, {@value #STEP_UP} with tag {@code outcome} for challenges to
 * authenticate again. Every counter is registered once, up front, so that a dashboard
 * shows zeros rather than gaps.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutMetrics implements ApplicationListener<SessionTimeoutEvent> {

	/**
	 * The name of the counter of ended sessions.
	 */
	public static final String EXPIRED = "session.timeout.expired";

	/**
	 * The name of the counter of step-ups.
	 */
	public static final String STEP_UP = "session.timeout.step-up";

	private final Map<ExpiryReason, Counter> counters = new EnumMap<>(ExpiryReason.class);

	private final Counter stepUpsSucceeded;

	/**
	 * Create a new instance and register its counters.
	 * @param registry the meter registry
	 */
	public SessionTimeoutMetrics(MeterRegistry registry) {
		for (ExpiryReason reason : ExpiryReason.values()) {
			if (reason.isEnding()) {
				this.counters.put(reason,
						Counter.builder(EXPIRED)
							.description("Sessions ended by a session clock or revoked")
							.tag("reason", reason.value())
							.register(registry));
			}
			else {
				this.counters.put(reason,
						Counter.builder(STEP_UP)
							.description("Challenges to authenticate again, and their outcomes")
							.tag("outcome", "challenged")
							.register(registry));
			}
		}
		this.stepUpsSucceeded = Counter.builder(STEP_UP)
			.description("Challenges to authenticate again, and their outcomes")
			.tag("outcome", "succeeded")
			.register(registry);
	}

	@Override
	public void onApplicationEvent(SessionTimeoutEvent event) {
		this.counters.get(event.getReason()).increment();
	}

	/**
	 * Count a challenge that was met.
	 * @param event the step-up
	 */
	@EventListener
	public void onStepUp(SessionStepUpEvent event) {
		this.stepUpsSucceeded.increment();
	}

}
