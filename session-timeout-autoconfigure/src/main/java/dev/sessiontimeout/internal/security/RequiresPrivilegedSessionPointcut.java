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
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.Preset;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.internal.session.PrivilegedOperations;

/**
 * Matches the methods that {@link RequiresPrivilegedSession} marks: annotated themselves,
 * on an interface they implement or a method they override, or declared by an annotated
 * type or interface. Methods of {@link Object} are never privileged.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class RequiresPrivilegedSessionPointcut extends StaticMethodMatcherPointcut {

	private final PrivilegedOperations operations;

	private final Set<Class<?>> scannedClasses = ConcurrentHashMap.newKeySet();

	private Supplier<@Nullable Preset> preset = () -> null;

	/**
	 * Create a new instance.
	 */
	public RequiresPrivilegedSessionPointcut() {
		this(new PrivilegedOperations());
	}

	/**
	 * Create a new instance that records the privileged operations it matches.
	 * @param operations records them
	 */
	public RequiresPrivilegedSessionPointcut(PrivilegedOperations operations) {
		Assert.notNull(operations, "'operations' must not be null");
		this.operations = operations;
	}

	/**
	 * Hold the maximum age of each annotation to a preset's privileged age, as the
	 * properties are: a longer one fails startup.
	 * @param preset the preset, {@code null} if there is none or the application wrote
	 * why it deviates from it ({@code session-timeout.preset-deviation}); asked when a
	 * privileged method is first found
	 */
	public void setPreset(Supplier<@Nullable Preset> preset) {
		Assert.notNull(preset, "'preset' must not be null");
		this.preset = preset;
	}

	/**
	 * {@inheritDoc}
	 * @throws InvalidRequiresPrivilegedSessionException if the annotation of the method
	 * sets a maximum age that is not a session duration of zero or more, or one longer
	 * than the preset's privileged age without a written deviation, or if the class has a
	 * privileged method that no proxy intercepts, so that such a mistake fails at startup
	 */
	@Override
	public boolean matches(Method method, Class<?> targetClass) {
		if (find(method, targetClass) == null) {
			return false;
		}
		Duration maxAge = PrivilegedSessionAuthorizationManager.maxAgeOf(method, targetClass);
		checkPreset(method, targetClass, maxAge);
		this.operations.found(maxAge);
		if (targetClass != null && this.scannedClasses.add(targetClass)) {
			// Spring asks about the methods of a bean only until one matches: each
			// privileged method of the class is checked, and its age recorded, once
			ReflectionUtils.doWithMethods(targetClass, (candidate) -> {
				MergedAnnotation<RequiresPrivilegedSession> annotation = findMerged(candidate, targetClass);
				if (!annotation.isPresent()) {
					return;
				}
				checkIntercepted(candidate, annotation);
				Duration candidateMaxAge = PrivilegedSessionAuthorizationManager.maxAgeOf(candidate, targetClass);
				checkPreset(candidate, targetClass, candidateMaxAge);
				if (candidateMaxAge != null && !this.operations.zeroAgeExist()) {
					this.operations.found(candidateMaxAge);
				}
			}, (candidate) -> !ReflectionUtils.isObjectMethod(candidate) && !candidate.isSynthetic()
					&& !candidate.isBridge());
		}
		return true;
	}

	/**
	 * Fail for a maximum age longer than the preset's privileged age, unless the
	 * application wrote why it deviates from the preset: as weak as that value of
	 * {@code session-timeout.privileged.max-age}, which fails startup too.
	 */
	private void checkPreset(Method method, @Nullable Class<?> targetClass, @Nullable Duration maxAge) {
		if (maxAge == null) {
			return;
		}
		Preset preset = this.preset.get();
		Duration presetAge = (preset != null) ? preset.policy().privilegedMaxAge() : null;
		if (presetAge == null || maxAge.compareTo(presetAge) <= 0) {
			return;
		}
		MergedAnnotation<RequiresPrivilegedSession> annotation = findMerged(method, targetClass);
		AnnotatedElement annotated = (annotation.getSource() instanceof AnnotatedElement source) ? source : method;
		throw new InvalidRequiresPrivilegedSessionException(annotated, "maxAge", annotation.getString("maxAge"),
				"weaker than preset " + preset.value() + ", which sets a privileged age of "
						+ SessionDurations.format(presetAge),
				"use at most " + SessionDurations.format(presetAge)
						+ ", or write why this application deviates in session-timeout.preset-deviation",
				null);
	}

	/**
	 * Fail for a privileged method that the proxy which checks it cannot intercept, so
	 * that it would run unchecked: a private, static or final method that carries the
	 * annotation itself, and a final method of an annotated type, those it inherits from
	 * an unannotated type above it included, which the annotation makes privileged as
	 * well (its private and static methods are helpers that no caller reaches through the
	 * proxy). The methods of a JDK proxy (a Spring Data repository) are final, but the
	 * proxy that checks them is made of its interfaces, whose methods callers reach.
	 */
	private static void checkIntercepted(Method candidate, MergedAnnotation<RequiresPrivilegedSession> annotation) {
		if (Proxy.isProxyClass(candidate.getDeclaringClass())) {
			return;
		}
		int modifiers = candidate.getModifiers();
		boolean onMethod = annotation.getSource() instanceof Method;
		String kind = null;
		if (onMethod && Modifier.isPrivate(modifiers)) {
			kind = "a private";
		}
		else if (onMethod && Modifier.isStatic(modifiers)) {
			kind = "a static";
		}
		else if (Modifier.isFinal(modifiers) && !Modifier.isPrivate(modifiers) && !Modifier.isStatic(modifiers)) {
			kind = "a final";
		}
		if (kind != null) {
			throw new InvalidRequiresPrivilegedSessionException(candidate,
					kind + " method is not intercepted by the proxy that checks it, so it would run unchecked",
					"make it an overridable (non-final, non-static, non-private) method, called through the bean"
							+ " (a Kotlin class and its methods must be open)");
		}
	}

	/**
	 * Find the annotation that marks a method: the method's own, searching its overridden
	 * and interface methods, before its type's.
	 * @param method the method
	 * @param targetClass the class of the target, or {@code null}
	 * @return the annotation, or {@code null} if the method is not privileged
	 */
	public static @Nullable RequiresPrivilegedSession find(Method method, @Nullable Class<?> targetClass) {
		MergedAnnotation<RequiresPrivilegedSession> annotation = findMerged(method, targetClass);
		return annotation.isPresent() ? annotation.synthesize() : null;
	}

	/**
	 * Find the annotation that marks a method, as {@link #find} does, together with the
	 * method or type that declares it ({@link MergedAnnotation#getSource()}).
	 * @param method the method
	 * @param targetClass the class of the target, or {@code null}
	 * @return the annotation, {@link MergedAnnotation#missing() missing} if the method is
	 * not privileged
	 */
	static MergedAnnotation<RequiresPrivilegedSession> findMerged(Method method, @Nullable Class<?> targetClass) {
		if (ReflectionUtils.isObjectMethod(method)) {
			return MergedAnnotation.missing();
		}
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		MergedAnnotation<RequiresPrivilegedSession> annotation = MergedAnnotations
			.from(specific, SearchStrategy.TYPE_HIERARCHY)
			.get(RequiresPrivilegedSession.class);
		if (!annotation.isPresent() && targetClass != null) {
			annotation = MergedAnnotations.from(targetClass, SearchStrategy.TYPE_HIERARCHY)
				.get(RequiresPrivilegedSession.class);
		}
		if (!annotation.isPresent()) {
			annotation = MergedAnnotations.from(method.getDeclaringClass(), SearchStrategy.TYPE_HIERARCHY)
				.get(RequiresPrivilegedSession.class);
		}
		return annotation;
	}

}
