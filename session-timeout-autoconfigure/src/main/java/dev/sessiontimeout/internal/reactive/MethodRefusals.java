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
package dev.sessiontimeout.internal.reactive;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Set;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.RequiresPrivilegedSession;

/**
 * Notes, for the {@link ReactiveSessionChallengeWebFilter}, what a method that method
 * security guards failed a WebFlux request with (a refusal of access, the refusal of a
 * privileged operation, a privilege grant whose claim the store did not answer), before
 * the application's own exception handling ({@code @ExceptionHandler} methods,
 * {@code onErrorResume}) can turn it into an answer of its own: the filter then answers
 * the request as if the failure had reached it, whatever the application made of it. It
 * wraps, outermost, every method returning a {@code Mono} or a {@code Flux} that carries
 * an annotation of Spring Security's method security (on the method or its type, also as
 * a meta-annotation) or {@link RequiresPrivilegedSession}.
 *
 * @author session-timeout
 */
public final class MethodRefusals implements PointcutAdvisor, MethodInterceptor, Ordered, AopInfrastructureBean {

	private static final Set<String> ANNOTATION_PACKAGES = Set.of("org.springframework.security.access.prepost",
			"org.springframework.security.access.annotation", "org.springframework.security.authorization.method",
			"jakarta.annotation.security");

	private static final Object CONTEXT_KEY = MethodRefusals.class.getName() + ".EXCHANGE";

	private static final String REFUSAL_ATTRIBUTE = MethodRefusals.class.getName() + ".REFUSAL";

	private final Pointcut pointcut = new GuardedMethods();

	/**
	 * Return the Reactor context in which the failures of guarded methods are noted in a
	 * request's exchange.
	 * @param exchange the exchange
	 * @return the context key and value
	 */
	static Context noting(ServerWebExchange exchange) {
		return Context.of(CONTEXT_KEY, exchange);
	}

	/**
	 * Take the failure noted for a request, if any.
	 * @param exchange the exchange
	 * @return the first failure of a guarded method, or {@code null}
	 */
	static @Nullable Throwable take(ServerWebExchange exchange) {
		return (Throwable) exchange.getAttributes().remove(REFUSAL_ATTRIBUTE);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object result = invocation.proceed();
		if (result instanceof Mono<?> mono) {
			return mono.onErrorResume((ex) -> Mono.deferContextual((context) -> note(context, ex)));
		}
		if (result instanceof Flux<?> flux) {
			return flux.onErrorResume((ex) -> Flux.deferContextual((context) -> note(context, ex)));
		}
		return result;
	}

	private static <T> Mono<T> note(ContextView context, Throwable ex) {
		context.<ServerWebExchange>getOrEmpty(CONTEXT_KEY)
			.ifPresent((exchange) -> exchange.getAttributes().putIfAbsent(REFUSAL_ATTRIBUTE, ex));
		return Mono.error(ex);
	}

	@Override
	public Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public Advice getAdvice() {
		return this;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * Methods returning a {@code Mono} or a {@code Flux} that method security guards.
	 */
	private static final class GuardedMethods extends StaticMethodMatcherPointcut {

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			if (!Publisher.class.isAssignableFrom(method.getReturnType())) {
				return false;
			}
			Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
			return isGuarded(specific) || isGuarded(method) || isGuarded(targetClass)
					|| isGuarded(method.getDeclaringClass());
		}

		private static boolean isGuarded(AnnotatedElement element) {
			return MergedAnnotations.from(element, SearchStrategy.TYPE_HIERARCHY)
				.stream()
				.map(MergedAnnotation::getType)
				.anyMatch(GuardedMethods::isGuard);
		}

		private static boolean isGuard(Class<? extends Annotation> type) {
			return type == RequiresPrivilegedSession.class || ANNOTATION_PACKAGES.contains(type.getPackageName());
		}

	}

}
