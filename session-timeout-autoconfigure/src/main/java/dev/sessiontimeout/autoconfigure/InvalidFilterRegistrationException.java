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

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.servlet.DispatcherType;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.internal.security.PrivilegedDispatchFilter;
import dev.sessiontimeout.internal.web.SessionTimeoutFilter;

/**
 * Thrown when the application's own registration of one of the starter's servlet filters
 * ({@link SessionTimeoutFilter}, {@link PrivilegedDispatchFilter}) would let requests
 * past it: one that leaves out a dispatch the filter must see, or one beside another, so
 * that every request passes the filter more than once.
 *
 * @author session-timeout
 */
class InvalidFilterRegistrationException extends IllegalStateException {

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
	 * @param filter the filter registered
	 * @param bean the name of the registration's bean
	 * @param dispatcherTypes the dispatcher types it registers the filter for
	 * @return the exception
	 */
	static InvalidFilterRegistrationException dispatcherTypes(SessionTimeoutFilterRegistrations.Filter filter,
			String bean, Set<DispatcherType> dispatcherTypes) {
		String rule = "the " + filter.name() + " must be registered for the " + names(filter.dispatcherTypes(), " and ")
				+ " dispatches: " + filter.why();
		return new InvalidFilterRegistrationException(
				"The " + filter.name() + " registration '" + bean + "' is for the dispatcher types " + dispatcherTypes
						+ "; " + rule,
				List.of("Bean: " + bean, "Dispatcher types: " + dispatcherTypes, "Rule: " + rule), bean,
				"register it for "
						+ names(filter.dispatcherTypes().stream().map((type) -> "DispatcherType." + type), " and ")
						+ " (setDispatcherTypes), or remove it to use the auto-configured registration");
	}

	/**
	 * Create an exception for a registration that orders the filter where it enforces
	 * nothing: not after Spring Session's filter, which gives it the session, or not
	 * before Spring Security's filter chain, which authorizes the request with the
	 * session's user.
	 * @param filter the filter registered
	 * @param bean the name of the registration's bean
	 * @param order its order
	 * @param last the order of the last of the starter's filters that follow it there,
	 * {@code order} if none does
	 * @param springSession Spring Session's filter, {@code null} if there is none
	 * @param springSecurity Spring Security's filter chain, {@code null} if there is none
	 * @return the exception
	 */
	static InvalidFilterRegistrationException order(SessionTimeoutFilterRegistrations.Filter filter, String bean,
			int order, int last, SessionTimeoutFilterRegistrations.@Nullable Bound springSession,
			SessionTimeoutFilterRegistrations.@Nullable Bound springSecurity) {
		String rule = "the " + filter.name()
				+ ((last != order) ? " (and the PrivilegedDispatchFilter, which follows" + " it at " + last + ")" : "")
				+ " must run after Spring Session's SessionRepositoryFilter"
				+ ((springSession != null) ? " (" + springSession.describe() + ")" : "")
				+ ", which gives it the session, and before Spring Security's filter chain"
				+ ((springSecurity != null) ? " (" + springSecurity.describe() + ")" : "")
				+ ", which authorizes the request with the session's user: else no session's clocks are enforced";
		int low = (springSession != null) ? springSession.order() : Integer.MIN_VALUE;
		long high = ((springSecurity != null) ? springSecurity.order() : Integer.MAX_VALUE) - ((long) last - order);
		String fix;
		if (high - low < 2) {
			fix = "order Spring Session's filter before Spring Security's filter chain, then order it between them"
					+ " (setOrder)";
		}
		else {
			int suggested = (springSession != null
					&& (long) low + SessionTimeoutFilterRegistrations.SPRING_SESSION_STEP + 1 < high)
							? low + SessionTimeoutFilterRegistrations.SPRING_SESSION_STEP
							: (springSession == null && SessionTimeoutFilter.DEFAULT_ORDER + 1 < high)
									? SessionTimeoutFilter.DEFAULT_ORDER : (int) ((low + high) / 2);
			fix = "order it between them (setOrder), for example setOrder(" + suggested
					+ "), or remove it to use the auto-configured registration, which follows Spring Session's filter";
		}
		return new InvalidFilterRegistrationException(
				"The " + filter.name() + " registration '" + bean + "' has the order " + order + "; " + rule,
				List.of("Bean: " + bean, "Order: " + order, "Rule: " + rule), bean, fix);
	}

	/**
	 * Create an exception for an application's own registration of Spring Session's
	 * filter or Spring Security's filter chain that leaves no room between them for the
	 * auto-configured registration of the starter's filters.
	 * @param registration the registration to move
	 * @param rule the rule it breaks
	 * @param fixes what to change, one way per filter that can be moved
	 * @return the exception
	 */
	static InvalidFilterRegistrationException noRoom(SessionTimeoutFilterRegistrations.Bound registration, String rule,
			List<String> fixes) {
		String bean = String.valueOf(registration.bean());
		return new InvalidFilterRegistrationException(
				"The registration '" + bean + "' has the order " + registration.order() + "; " + rule,
				List.of("Bean: " + bean, "Order: " + registration.order(), "Rule: " + rule), bean,
				String.join(", or ", fixes));
	}

	/**
	 * Create an exception for a registration of the filter that goes after Spring
	 * Security's filter chain that orders it at or before that chain.
	 * @param bean the name of the registration's bean
	 * @param order its order
	 * @param springSecurity Spring Security's filter chain
	 * @return the exception
	 */
	static InvalidFilterRegistrationException beforeSpringSecurity(String bean, int order,
			SessionTimeoutFilterRegistrations.Bound springSecurity) {
		String rule = "the filter that judges a path no security filter chain judged (one that a filter of the"
				+ " application rewrote to a privileged path) must run after Spring Security's filter chain ("
				+ springSecurity.describe() + "): else it judges every request before a chain could";
		return new InvalidFilterRegistrationException(
				"The registration '" + bean + "' has the order " + order + "; " + rule,
				List.of("Bean: " + bean, "Order: " + order, "Rule: " + rule), bean,
				"order it at least " + SessionTimeoutFilterRegistrations.after(springSecurity.order(), 1)
						+ " (setOrder), or remove it to use the auto-configured registration");
	}

	/**
	 * Create an exception for a filter registered more than once.
	 * @param filter the filter registered
	 * @param beans the names of the registrations' beans, in order
	 * @return the exception
	 */
	static InvalidFilterRegistrationException registeredMoreThanOnce(SessionTimeoutFilterRegistrations.Filter filter,
			List<String> beans) {
		String rule = "the " + filter.name() + " must be registered once, or every request passes it more than once";
		String names = String.join(", ", beans);
		List<String> replaceable = beans.stream().filter((bean) -> !bean.equals(filter.beanName())).toList();
		return new InvalidFilterRegistrationException(
				"The " + filter.name() + " is registered by " + names + "; " + rule,
				List.of("Beans: " + names, "Rule: " + rule), String.join(", ", replaceable),
				(replaceable.size() == 1)
						? "name it " + filter.beanName() + " to replace the auto-configured registration, or remove it"
						: "keep one of them, named " + filter.beanName());
	}

	private static String names(Set<DispatcherType> dispatcherTypes, String last) {
		return names(dispatcherTypes.stream().map(DispatcherType::name), last);
	}

	private static String names(Stream<String> names, String last) {
		List<String> all = names.toList();
		return (all.size() == 1) ? all.get(0)
				: String.join(", ", all.subList(0, all.size() - 1)) + last + all.get(all.size() - 1);
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
