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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.internal.policy.InvalidSessionDurationException;
import dev.sessiontimeout.internal.policy.SessionDurations;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.web.ServletSessionClocks;

/**
 * Decides whether a {@link RequiresPrivilegedSession} method may proceed: the user's
 * authentication must be younger than the annotation's maximum age, else the session
 * policy's privileged age. A bearer token decides by itself: its {@code auth_time}, the
 * policy its authorities choose and, if required, its {@code acr}
 * ({@link TokenPrivileges}). In a web request the session's clocks decide, the same ones
 * {@code session-timeout.privileged.paths} use; a request that a bearer token the starter
 * cannot read authenticated (its authentication holds no token, or no {@code auth_time})
 * is never privileged, whatever factors Spring Security copied into it from the session
 * sent along. On another thread, a call that a request handed over along with its
 * security context ({@code @Async}, a {@code Callable}) is decided by the policy and
 * authentication time of that request's session; a maximum age of zero, which needs an
 * authentication no other operation has used, is never met there. Any other
 * authentication without a session is decided by the time its {@link LoginFlow} reports,
 * else by its newest {@link FactorGrantedAuthority#getIssuedAt() factor}, never one that
 * Spring Security carried into it from the session a bearer token was sent with, and the
 * policy its authorities choose. An anonymous or remember-me authentication proved no
 * factor and is never privileged, even with the privileged age disabled.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class PrivilegedSessionAuthorizationManager implements AuthorizationManager<MethodInvocation> {

	private static final String MAX_AGE_FIX = "use a duration of zero or more, such as 5m, 1h30m or PT10M"
			+ " (0 asks for an authentication on every call), or leave maxAge out to use"
			+ " session-timeout.privileged.max-age";

	private final Supplier<ServletSessionClocks> clocks;

	private final Supplier<List<LoginFlow>> loginFlows;

	private final Supplier<@Nullable RoleHierarchy> roleHierarchy;

	private final Map<MethodClassKey, Optional<Duration>> maxAges = new ConcurrentHashMap<>();

	/**
	 * Create a new manager.
	 * @param clocks supplies the session clocks of servlet requests
	 */
	public PrivilegedSessionAuthorizationManager(Supplier<ServletSessionClocks> clocks) {
		this(clocks, List::of);
	}

	/**
	 * Create a new manager.
	 * @param clocks supplies the session clocks of servlet requests
	 * @param loginFlows supplies the login flows that tell whether an authentication
	 * knows when its user authenticated
	 */
	public PrivilegedSessionAuthorizationManager(Supplier<ServletSessionClocks> clocks,
			Supplier<List<LoginFlow>> loginFlows) {
		this(clocks, loginFlows, () -> null);
	}

	/**
	 * Create a new manager.
	 * @param clocks supplies the session clocks of servlet requests
	 * @param loginFlows supplies the login flows that tell whether an authentication
	 * knows when its user authenticated
	 * @param roleHierarchy supplies the application's role hierarchy, with whose
	 * reachable authorities an authentication without a session chooses its policy, as a
	 * session's login does, or {@code null} if it has none
	 */
	public PrivilegedSessionAuthorizationManager(Supplier<ServletSessionClocks> clocks,
			Supplier<List<LoginFlow>> loginFlows, Supplier<@Nullable RoleHierarchy> roleHierarchy) {
		this.clocks = clocks;
		this.loginFlows = loginFlows;
		this.roleHierarchy = roleHierarchy;
	}

	@Override
	public PrivilegedSessionDecision authorize(Supplier<? extends @Nullable Authentication> authentication,
			MethodInvocation invocation) {
		Authentication current = authentication.get();
		LoginFlow flow = (current != null) ? LoginFlow.of(this.loginFlows.get(), current) : null;
		FactorGrantedAuthority newest = newestFactor(current);
		String factor = (newest != null) ? newest.getAuthority() : FactorGrantedAuthority.PASSWORD_AUTHORITY;
		Optional<Duration> required = maxAge(invocation);
		ServletSessionClocks clocks = this.clocks.get();
		RoleHierarchy roleHierarchy = this.roleHierarchy.get();
		if (current != null && flow != null && flow.authenticatesEachRequest()) {
			// A bearer token decides by itself, with or without a session
			TokenPrivileges.Decision decision = TokenPrivileges.decide(clocks, flow, current,
					required.orElseGet(() -> TokenPrivileges.privilegedMaxAge(clocks.getClocks().getSettings(),
							roleHierarchy, flow, current)));
			return new PrivilegedSessionDecision(AuthenticationFactors.provedAFactor(current) && decision.granted(),
					factor, decision.maxAge(), decision.acrValues());
		}
		HttpServletRequest request = currentRequest();
		if (request != null && current != null && PathPrivileges.isAuthenticatedByBearerToken(request, current)) {
			// A bearer token that the starter cannot read (no token held, or no
			// auth_time): never by its factors, which may be the session's sent along
			Duration maxAge = required.orElseGet(() -> TokenPrivileges
				.privilegedMaxAge(clocks.getClocks().getSettings(), roleHierarchy, flow, current));
			return new PrivilegedSessionDecision(false, factor, (maxAge != null) ? maxAge : Duration.ZERO,
					clocks.getPrivilegedAcrValues());
		}
		// A session decides only for its own user: not for a request that another
		// authentication (HTTP Basic, say) carries along with someone's session cookie
		HttpSession session = (request != null && current != null) ? sessionOf(request, current) : null;
		// Without a session: a call that a request handed to another thread along with
		// its security context finds the state of that request's session
		SessionState served = (session == null && current != null) ? clocks.servedState(current) : null;
		Duration maxAge = required.orElseGet(() -> maxAge(clocks, roleHierarchy, session, served, current));
		if (!AuthenticationFactors.provedAFactor(current) || (current != null
				&& !AuthenticationFactors.knowsAuthenticationTime(this.loginFlows.get(), current))) {
			return new PrivilegedSessionDecision(false, factor, (maxAge != null) ? maxAge : Duration.ZERO);
		}
		if (maxAge == null) {
			// Any age: on another thread, while the session that served it still does
			boolean granted = served == null || current == null || clocks.servedSessionEnd(current) == null;
			return new PrivilegedSessionDecision(granted, factor, Duration.ZERO);
		}
		if (request != null && session != null) {
			return new PrivilegedSessionDecision(clocks.isPrivileged(request, session, maxAge), factor, maxAge);
		}
		if (served != null && current != null) {
			// An authentication that no operation has used yet is for the request itself;
			// and the session must still serve it: not ended since, nor its user due to
			// authenticate again (throws if its store does not answer)
			boolean granted = !maxAge.isZero() && clocks.servedSessionEnd(current) == null
					&& served.timeline().isAuthenticatedWithin(maxAge, clocks.now());
			return new PrivilegedSessionDecision(granted, factor, maxAge);
		}
		return new PrivilegedSessionDecision(
				isPrivilegedWithoutSession(clocks.now(), flow, current, maxAge, this.loginFlows.get()), factor, maxAge);
	}

	/**
	 * Return the session of a request if it holds the request's user, the same name.
	 * @param request the request
	 * @param authentication the request's authentication
	 * @return the session, or {@code null} if the request has none, or one of another
	 * user or of nobody
	 */
	static @Nullable HttpSession sessionOf(HttpServletRequest request, Authentication authentication) {
		HttpSession session = request.getSession(false);
		if (session == null) {
			return null;
		}
		try {
			return SecuritySessionAuthenticationSupport.holdsUserOf(session, authentication) ? session : null;
		}
		catch (IllegalStateException ex) {
			// A container session that a concurrent request invalidated
			return null;
		}
	}

	/**
	 * Return whether an authentication that no session of its user holds may perform a
	 * privileged operation at a given time, on either stack: it proved a factor, tells
	 * when its user authenticated (as its login flow reports it, else by its newest
	 * factor), and did so within the maximum age.
	 * @param now the current instant
	 * @param flow the login flow of the authentication, if any
	 * @param authentication the authentication
	 * @param maxAge the maximum age, {@code null} for any
	 * @return {@code true} if the operation may proceed
	 */
	static boolean isPrivilegedWithoutSession(Instant now, @Nullable LoginFlow flow, Authentication authentication,
			@Nullable Duration maxAge) {
		return isPrivilegedWithoutSession(now, flow, authentication, maxAge, List.of());
	}

	/**
	 * Return whether an authentication that no session of its user holds may perform a
	 * privileged operation at a given time, never by a factor that Spring Security
	 * carried into it from the authentication a request held before its bearer token (the
	 * session's sent along, whoever its user is), as a {@link BearerTokenLoginFlow} of
	 * the login flows tells.
	 * @param now the current instant
	 * @param flow the login flow of the authentication, if any
	 * @param authentication the authentication
	 * @param maxAge the maximum age, {@code null} for any
	 * @param flows the login flows
	 * @return {@code true} if the operation may proceed
	 */
	static boolean isPrivilegedWithoutSession(Instant now, @Nullable LoginFlow flow, Authentication authentication,
			@Nullable Duration maxAge, List<LoginFlow> flows) {
		if (!AuthenticationFactors.provedAFactor(authentication)
				|| (flow != null && !flow.knowsAuthenticationTime(authentication))
				|| !AuthenticationFactors.knowsAuthenticationTime(flows, authentication)) {
			return false;
		}
		if (maxAge == null) {
			return true;
		}
		Instant authenticatedAt = authenticatedAt(authentication, flow, newestOwnFactor(authentication, flows));
		return authenticatedAt != null && !SessionTimeline.isFromTheFuture(authenticatedAt, now)
				&& now.isBefore(authenticatedAt.plus(maxAge));
	}

	/**
	 * Return when the user of an authentication without a session authenticated: as its
	 * login flow says (an ID token's {@code auth_time}), else at the issue of its newest
	 * factor.
	 */
	private static @Nullable Instant authenticatedAt(Authentication authentication, @Nullable LoginFlow flow,
			@Nullable FactorGrantedAuthority newest) {
		Instant reported = (flow != null) ? flow.authenticatedAt(authentication) : null;
		if (reported != null) {
			return reported;
		}
		return (newest != null) ? newest.getIssuedAt() : null;
	}

	private Optional<Duration> maxAge(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
		return this.maxAges.computeIfAbsent(new MethodClassKey(invocation.getMethod(), targetClass),
				(key) -> Optional.ofNullable(maxAgeOf(invocation.getMethod(), targetClass)));
	}

	/**
	 * Return the maximum age that the annotation of a method sets.
	 * @param method the method
	 * @param targetClass the class of the target, or {@code null}
	 * @return the maximum age, or {@code null} for the policy's
	 * @throws InvalidRequiresPrivilegedSessionException if the maximum age is not a
	 * session duration of zero or more
	 */
	public static @Nullable Duration maxAgeOf(Method method, @Nullable Class<?> targetClass) {
		MergedAnnotation<RequiresPrivilegedSession> annotation = RequiresPrivilegedSessionPointcut.findMerged(method,
				targetClass);
		if (!annotation.isPresent()) {
			return null;
		}
		String maxAge = annotation.getString("maxAge");
		if (maxAge.isBlank()) {
			return null;
		}
		AnnotatedElement annotated = (annotation.getSource() instanceof AnnotatedElement source) ? source : method;
		Duration parsed;
		try {
			parsed = SessionDurations.parse(maxAge);
		}
		catch (InvalidSessionDurationException ex) {
			throw new InvalidRequiresPrivilegedSessionException(annotated, "maxAge", maxAge, ex.getRule(), MAX_AGE_FIX,
					ex);
		}
		if (parsed.isNegative()) {
			throw new InvalidRequiresPrivilegedSessionException(annotated, "maxAge", maxAge,
					"a maximum age must not be negative"
							+ (SessionDurations.isDisabled(parsed) ? "; -1 does not turn the check off" : ""),
					MAX_AGE_FIX, null);
		}
		return parsed;
	}

	/**
	 * Return the maximum age of a call's authentication: its session's (never a looser
	 * one than the global one for a session without a policy of its user), else that of
	 * the policy of the session a request served its authentication from, else of the one
	 * the authorities of its authentication choose (a bearer token's, say), as for a
	 * login, with those that the role hierarchy makes reachable from them.
	 */
	private static @Nullable Duration maxAge(ServletSessionClocks clocks, @Nullable RoleHierarchy roleHierarchy,
			@Nullable HttpSession session, @Nullable SessionState served, @Nullable Authentication authentication) {
		if (session != null) {
			return clocks.privilegedMaxAge(session);
		}
		if (served != null) {
			return served.policy().privilegedMaxAge();
		}
		return policyOf(clocks.getClocks().getSettings(), authentication, roleHierarchy).privilegedMaxAge();
	}

	/**
	 * Return the policy that the authorities of an authentication without a session
	 * choose, with those that the role hierarchy makes reachable from them, as for a
	 * login, else the global one.
	 * @param settings the settings
	 * @param authentication the authentication, if any
	 * @param roleHierarchy the application's role hierarchy, or {@code null} if it has
	 * none
	 * @return the policy
	 */
	static SessionTimeoutPolicy policyOf(SessionTimeoutSettings settings, @Nullable Authentication authentication,
			@Nullable RoleHierarchy roleHierarchy) {
		return (authentication != null)
				? AuthenticationPolicies.configuredPolicyOf(settings, authentication, false, roleHierarchy)
				: settings.getDefaultPolicy();
	}

	private static @Nullable FactorGrantedAuthority newestFactor(@Nullable Authentication authentication) {
		return newestOwnFactor(authentication, List.of());
	}

	/**
	 * Return the newest factor of an authentication that no {@link BearerTokenLoginFlow}
	 * of the login flows reports as carried into it from the authentication a request
	 * held before its bearer token.
	 */
	private static @Nullable FactorGrantedAuthority newestOwnFactor(@Nullable Authentication authentication,
			List<LoginFlow> flows) {
		FactorGrantedAuthority newest = null;
		if (authentication != null) {
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				if (authority instanceof FactorGrantedAuthority factor && !isCarried(factor, flows)
						&& (newest == null || factor.getIssuedAt().isAfter(newest.getIssuedAt()))) {
					newest = factor;
				}
			}
		}
		return newest;
	}

	private static boolean isCarried(GrantedAuthority authority, List<LoginFlow> flows) {
		for (LoginFlow flow : flows) {
			if (flow instanceof BearerTokenLoginFlow bearer && bearer.isCarried(authority)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable HttpServletRequest currentRequest() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest() : null;
	}

}
