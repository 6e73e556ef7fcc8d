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
package dev.sessiontimeout.autoconfigure;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.DispatcherType;

import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * Thrown when the application's own registration of the {@link SessionTimeoutFilter}
 * would let requests past it: one that leaves out a dispatch the filter must see, or one
 * beside another, so that every request passes the filter more than once.
 *
 * @author session-timeout
 */
class InvalidFilterRegistrationException extends IllegalStateException {

	/**
	 * The dispatches the filter must see.
	 */
	static final Set<DispatcherType> REQUIRED_DISPATCHER_TYPES = EnumSet.of(DispatcherType.REQUEST,
			DispatcherType.ASYNC, DispatcherType.ERROR);

	private final List<String> details;

	private final String subject;

	private final String fix;

	private InvalidFilterRegistrationException(String message, List<String> details, String subject, String fix) {
		super(message);
		this.details = details;
		this.subject = subject;
		this.fix = fix;
	}

	/**
	 * Create an exception for a registration that leaves out a dispatch the filter must
	 * see.
	 * @param bean the name of the registration's bean
	 * @param dispatcherTypes the dispatcher types it registers the filter for
	 * @return the exception
	 */
	static InvalidFilterRegistrationException dispatcherTypes(String bean, Set<DispatcherType> dispatcherTypes) {
		String rule = "the SessionTimeoutFilter must be registered for the REQUEST, ASYNC and ERROR dispatches:"
				+ " without ASYNC a request's asynchronous dispatch is not checked against its session again,"
				+ " without ERROR an error page sees the user of a request that runs without them"
				+ " (re-authentication due)";
		return new InvalidFilterRegistrationException(
				"The SessionTimeoutFilter registration '" + bean + "' is for the dispatcher types " + dispatcherTypes
						+ "; " + rule,
				List.of("Bean: " + bean, "Dispatcher types: " + dispatcherTypes, "Rule: " + rule), bean,
				"register it for DispatcherType.REQUEST, DispatcherType.ASYNC and DispatcherType.ERROR"
						+ " (setDispatcherTypes), or remove it to use the auto-configured registration");
	}

	/**
	 * Create an exception for a filter registered more than once.
	 * @param beans the names of the registrations' beans, in order
	 * @param replaceable the names of those that a registration of the application's own
	 * could replace the auto-configured one with
	 * @return the exception
	 */
	static InvalidFilterRegistrationException registeredMoreThanOnce(List<String> beans, List<String> replaceable) {
		String rule = "the SessionTimeoutFilter must be registered once, or every request passes it more than once";
		String names = String.join(", ", beans);
		return new InvalidFilterRegistrationException(
				"The SessionTimeoutFilter is registered by " + names + "; " + rule,
				List.of("Beans: " + names, "Rule: " + rule), replaceable.stream().collect(Collectors.joining(", ")),
				(replaceable.size() == 1)
						? "name it " + SessionTimeoutFilterRegistrations.BEAN_NAME
								+ " to replace the auto-configured registration, or remove it"
						: "keep one of them, named " + SessionTimeoutFilterRegistrations.BEAN_NAME);
	}

	/**
	 * Return the lines that describe the registration.
	 * @return the lines
	 */
	List<String> getDetails() {
		return this.details;
	}

	/**
	 * Return what the fix applies to.
	 * @return the names of the beans to change
	 */
	String getSubject() {
		return this.subject;
	}

	/**
	 * Return what to change.
	 * @return the fix
	 */
	String getFix() {
		return this.fix;
	}

}
