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
package dev.sessiontimeout.internal.security;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * Thrown when an attribute of a {@link RequiresPrivilegedSession} annotation has a value
 * that the starter cannot use, so that the mistake fails startup with a report naming the
 * annotated method or type, the attribute, its value, the rule and the fix.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class InvalidRequiresPrivilegedSessionException extends IllegalStateException {

	private final AnnotatedElement annotatedElement;

	private final @Nullable String attribute;

	private final @Nullable String value;

	private final String rule;

	private final String fix;

	/**
	 * Create a new exception.
	 * @param annotatedElement the method or type that carries the annotation
	 * @param attribute the name of the attribute, for example {@code maxAge}
	 * @param value the value of the attribute
	 * @param rule the rule the value breaks
	 * @param fix what to change
	 * @param cause the cause, if any
	 */
	public InvalidRequiresPrivilegedSessionException(AnnotatedElement annotatedElement, String attribute, String value,
			String rule, String fix, @Nullable Throwable cause) {
		super("@" + RequiresPrivilegedSession.class.getSimpleName() + "(" + attribute + " = \"" + value + "\") on "
				+ describe(annotatedElement) + ": " + rule + "; " + fix, cause);
		this.annotatedElement = annotatedElement;
		this.attribute = attribute;
		this.value = value;
		this.rule = rule;
		this.fix = fix;
	}

	/**
	 * Create a new exception for an annotation that the starter cannot enforce where it
	 * is, whatever its attributes: on a method that no proxy intercepts.
	 * @param annotatedElement the method that carries the annotation, or that a type's
	 * annotation marks
	 * @param rule why it cannot be enforced there
	 * @param fix what to change
	 */
	public InvalidRequiresPrivilegedSessionException(AnnotatedElement annotatedElement, String rule, String fix) {
		super("@" + RequiresPrivilegedSession.class.getSimpleName() + " on " + describe(annotatedElement) + ": " + rule
				+ "; " + fix);
		this.annotatedElement = annotatedElement;
		this.attribute = null;
		this.value = null;
		this.rule = rule;
		this.fix = fix;
	}

	/**
	 * Return the method or type that carries the annotation.
	 * @return the annotated method or type
	 */
	public AnnotatedElement getAnnotatedElement() {
		return this.annotatedElement;
	}

	/**
	 * Return the annotated method or type as a person reads it: a method as its declaring
	 * class, name and parameter types, such as
	 * {@code com.example.PayoutService.payOut(com.example.Payout)}; a type as its name.
	 * @return the description
	 */
	public String getAnnotatedElementDescription() {
		return describe(this.annotatedElement);
	}

	/**
	 * Return the name of the attribute.
	 * @return the attribute, for example {@code maxAge}, or {@code null} if the
	 * annotation cannot be enforced where it is, whatever its attributes
	 */
	public @Nullable String getAttribute() {
		return this.attribute;
	}

	/**
	 * Return the value of the attribute, as written.
	 * @return the value, or {@code null} if no attribute is at fault
	 */
	public @Nullable String getValue() {
		return this.value;
	}

	/**
	 * Return the rule the value breaks.
	 * @return the rule
	 */
	public String getRule() {
		return this.rule;
	}

	/**
	 * Return what to change.
	 * @return the fix
	 */
	public String getFix() {
		return this.fix;
	}

	private static String describe(AnnotatedElement element) {
		if (element instanceof Method method) {
			return method.getDeclaringClass().getName() + "." + method.getName() + "("
					+ Arrays.stream(method.getParameterTypes())
						.map(Class::getTypeName)
						.collect(Collectors.joining(", "))
					+ ")";
		}
		return (element instanceof Class<?> type) ? type.getName() : element.toString();
	}

}
