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

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanNotOfRequiredTypeException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.origin.Origin;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.InvalidSessionDurationException;
import dev.sessiontimeout.internal.policy.InvalidSessionTimeoutSettingsException;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.internal.security.InvalidRequiresPrivilegedSessionException;

/**
 * Explains a session-timeout configuration that cannot start: each offending property
 * with its value, where the value comes from when Spring Boot knows it, the rule it
 * breaks and the fix; or the {@link RequiresPrivilegedSession} method or type with the
 * attribute, its value, the rule and the fix.
 *
 * @author session-timeout
 * @since 0.1.0
 */
class SessionTimeoutFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final String NEW_LINE = System.lineSeparator();

	private static final String INDENT = "    ";

	/**
	 * By name: Spring Security may be missing. The starter keeps the class of a session
	 * registry where it can be subclassed; else the bean is a proxy of its interfaces
	 * that implements this.
	 */
	private static final String LIVE_SESSIONS_DECORATION = "dev.sessiontimeout.internal.security.LiveSessionsDecoration";

	private static final String REACTIVE_SESSION_REGISTRY = "org.springframework.security.core.session.ReactiveSessionRegistry";

	private static final String SESSION_REGISTRY = "org.springframework.security.core.session.SessionRegistry";

	private final @Nullable Environment environment;

	/**
	 * Create a new analyzer.
	 * @param environment the environment of the application that failed, to tell where
	 * values come from; {@code null} if there is none
	 */
	SessionTimeoutFailureAnalyzer(@Nullable Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		InvalidSessionTimeoutException invalid = findCause(failure, InvalidSessionTimeoutException.class);
		if (invalid != null) {
			return analysis(invalid.getViolations().stream().map(this::entry).toList(), failure);
		}
		InvalidSessionTimeoutSettingsException settings = findCause(failure,
				InvalidSessionTimeoutSettingsException.class);
		if (settings != null) {
			return analysis(
					SessionTimeoutMessages.violations(settings.getViolations()).stream().map(this::entry).toList(),
					failure);
		}
		InvalidRequiresPrivilegedSessionException annotation = findCause(failure,
				InvalidRequiresPrivilegedSessionException.class);
		if (annotation != null) {
			return analysis(List.of(entry(annotation)), failure);
		}
		InvalidFilterRegistrationException registration = findCause(failure, InvalidFilterRegistrationException.class);
		if (registration != null) {
			return analysis(List
				.of(new Entry(true, registration.getDetails(), registration.getSubject(), registration.getFix())),
					failure);
		}
		BeanNotOfRequiredTypeException notOfType = findCause(failure, BeanNotOfRequiredTypeException.class);
		if (notOfType != null && implementsNamed(notOfType.getActualType(), LIVE_SESSIONS_DECORATION)) {
			String registryType = implementsNamed(notOfType.getActualType(), REACTIVE_SESSION_REGISTRY)
					? REACTIVE_SESSION_REGISTRY : SESSION_REGISTRY;
			return analysis(List.of(registryInjection(notOfType, registryType)), failure);
		}
		BindException bindException = findCause(failure, BindException.class);
		InvalidSessionDurationException duration = findCause(failure, InvalidSessionDurationException.class);
		if (bindException != null && duration != null) {
			return analysis(List.of(entry(bindException, duration)), failure);
		}
		return null;
	}

	private static boolean implementsNamed(Class<?> type, String interfaceName) {
		for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(type)) {
			if (interfaceName.equals(implemented.getName())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The application's {@code SessionRegistry} or {@code ReactiveSessionRegistry} of a
	 * class that cannot be subclassed, injected by that class: the bean is the starter's
	 * decorator, of the registry's interfaces only.
	 */
	private static Entry registryInjection(BeanNotOfRequiredTypeException failure, String registryType) {
		List<String> details = List.of(
				"Bean '" + failure.getBeanName() + "' is injected as " + failure.getRequiredType().getName() + ",",
				"but it is the application's " + ClassUtils.getShortName(registryType)
						+ " as the starter decorates it (its class cannot be subclassed), so that",
				"Spring Security's concurrent-session control counts no session the starter ended.");
		return new Entry(true, details, "the injection of bean '" + failure.getBeanName() + "'",
				"inject it as " + registryType);
	}

	private Entry entry(Violation violation) {
		if (violation.annotation()) {
			List<String> details = List.of("Method: " + violation.value(), "Annotation: " + violation.property(),
					"Rule: " + violation.rule());
			return new Entry(true, details, violation.property() + " on " + violation.value(), violation.fix());
		}
		ConfigurationProperty property = find(violation.property());
		Object value = (property != null) ? property.getValue() : violation.value();
		Origin origin = (property != null) ? property.getOrigin() : findOrigin(violation.property());
		return Entry.forProperty(violation.property(), String.valueOf(value), origin, violation.rule(),
				violation.fix());
	}

	private Entry entry(BindException bindException, InvalidSessionDurationException duration) {
		ConfigurationProperty property = bindException.getProperty();
		String name = bindException.getName().toString();
		Origin origin = (property != null) ? property.getOrigin() : findOrigin(name);
		return Entry.forProperty(name, duration.getText(), origin, duration.getRule(),
				"use " + SessionDurations.SYNTAX);
	}

	private Entry entry(InvalidRequiresPrivilegedSessionException invalid) {
		String element = invalid.getAnnotatedElementDescription();
		if (invalid.getAttribute() == null) {
			String annotation = "@" + RequiresPrivilegedSession.class.getSimpleName();
			List<String> details = List.of(
					((invalid.getAnnotatedElement() instanceof Class) ? "Type: " : "Method: ") + element,
					"Annotation: " + annotation, "Rule: " + invalid.getRule());
			return new Entry(true, details, annotation + " on " + element, invalid.getFix());
		}
		String attribute = "@" + RequiresPrivilegedSession.class.getSimpleName() + "(" + invalid.getAttribute() + ")";
		List<String> details = List.of(
				((invalid.getAnnotatedElement() instanceof Class) ? "Type: " : "Method: ") + element,
				"Attribute: " + attribute, "Value: \"" + invalid.getValue() + "\"", "Rule: " + invalid.getRule());
		return new Entry(true, details, attribute + " on " + element, invalid.getFix());
	}

	private @Nullable ConfigurationProperty find(String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.ofIfValid(name);
		return (propertyName != null) ? find(propertyName) : null;
	}

	private @Nullable ConfigurationProperty find(ConfigurationPropertyName name) {
		if (this.environment instanceof ConfigurableEnvironment configurable) {
			for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
				ConfigurationProperty property = source.getConfigurationProperty(name);
				if (property != null) {
					return property;
				}
			}
		}
		return null;
	}

	/**
	 * Find the origin of a property, or of the list that holds it when it is an element
	 * of a list written as one comma-separated value.
	 */
	private @Nullable Origin findOrigin(String name) {
		ConfigurationPropertyName propertyName = ConfigurationPropertyName.ofIfValid(name);
		while (propertyName != null && !propertyName.isEmpty()) {
			ConfigurationProperty property = find(propertyName);
			if (property != null) {
				return property.getOrigin();
			}
			propertyName = propertyName.isLastElementIndexed() ? propertyName.getParent() : null;
		}
		return null;
	}

	private FailureAnalysis analysis(List<Entry> entries, Throwable failure) {
		boolean annotations = entries.stream().anyMatch(Entry::annotation);
		boolean properties = entries.stream().anyMatch((entry) -> !entry.annotation());
		// No line separator after the last line: Spring Boot's report adds one, then
		// one blank line before "Action:", as after its own analyzers' descriptions
		StringBuilder description = new StringBuilder("The session-timeout configuration is invalid:");
		StringBuilder action = new StringBuilder("Update your application's ")
			.append(properties ? (annotations ? "configuration and code" : "configuration") : "code")
			.append(':')
			.append(NEW_LINE);
		for (Entry entry : entries) {
			description.append(NEW_LINE);
			entry.details().forEach((line) -> description.append(NEW_LINE).append(INDENT).append(line));
			action.append(NEW_LINE).append(INDENT).append(entry.subject()).append(": ").append(entry.fix());
		}
		return new FailureAnalysis(description.toString(), action.toString(), failure);
	}

	private static <T extends Throwable> @Nullable T findCause(@Nullable Throwable failure, Class<T> type) {
		while (failure != null) {
			if (type.isInstance(failure)) {
				return type.cast(failure);
			}
			failure = failure.getCause();
		}
		return null;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * One offending property or annotation attribute in a report.
	 *
	 * @param annotation whether it is an annotation attribute rather than a property
	 * @param details the lines that describe it
	 * @param subject what the fix applies to
	 * @param fix what to change
	 */
	private record Entry(boolean annotation, List<String> details, String subject, String fix) {

		static Entry forProperty(String name, String value, @Nullable Origin origin, String rule, String fix) {
			List<String> details = new ArrayList<>();
			details.add("Property: " + name);
			details.add("Value: \"" + value + "\"");
			if (origin != null) {
				details.add("Origin: " + origin);
			}
			details.add("Rule: " + rule);
			return new Entry(false, details, name, fix);
		}

	}

}
