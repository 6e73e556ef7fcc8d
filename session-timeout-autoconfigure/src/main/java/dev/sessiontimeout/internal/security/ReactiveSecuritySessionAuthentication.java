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

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.WebSessionServerSecurityContextRepository;
import org.springframework.security.web.server.header.HttpHeaderWriterWebFilter;
import org.springframework.security.web.server.savedrequest.ServerRequestCache;
import org.springframework.web.server.ServerWebExchange;

import dev.sessiontimeout.ReactiveSessionPolicyOverride;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.policy.SessionTimeoutSettings;
import dev.sessiontimeout.internal.reactive.PrivilegedDecision;
import dev.sessiontimeout.internal.reactive.ReactiveSessionAuthentication;
import dev.sessiontimeout.internal.session.PendingChallenge;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionRequest;

/**
 * Spring Security on WebFlux, as the session clocks see it: the user of a session is the
 * authentication of the {@link SecurityContext} that Spring Security's
 * {@link WebSessionServerSecurityContextRepository} stores in it, and storing one with a
 * new authentication is a login (Spring Security's reactive logins issue no factor
 * authorities and publish no events, so the login is recorded where its user is stored).
 * Its time is now, or the one its login flow reports (an OpenID Connect ID token's
 * {@code auth_time}); its policy is the one its authorities choose, and a browser
 * authenticates again where its login flow says (the authorization endpoint of an OpenID
 * Connect login's client registration). A login that does not meet the session's pending
 * challenge fails as with a wrong password (the login filter hands the
 * {@link SessionAuthenticationException} to its failure handler), and the session keeps
 * its user.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class ReactiveSecuritySessionAuthentication implements ReactiveSessionAuthentication {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	private final SessionClocks clocks;

	private final SessionTimeoutSettings settings;

	private final List<LoginFlow> loginFlows;

	private final ServerRequestCache requestCache;

	private final boolean answersChallenges;

	private @Nullable RoleHierarchy roleHierarchy;

	private List<String> privilegedAcrValues = List.of();

	private List<ReactiveSessionPolicyOverride> overrides = List.of();

	private Supplier<List<SecurityWebFilterChain>> securityWebFilterChains = List::of;

	/**
	 * Create a new instance.
	 * @param clocks the session clocks, which know the time and the configuration
	 * @param loginFlows the login flows that know when their users authenticated
	 * @param requestCache where a browser's request is saved for after its login
	 * @param answersChallenges whether the security filter chains answer challenges
	 */
	public ReactiveSecuritySessionAuthentication(SessionClocks clocks, List<LoginFlow> loginFlows,
			ServerRequestCache requestCache, boolean answersChallenges) {
		this.clocks = clocks;
		this.settings = clocks.getSettings();
		this.loginFlows = List.copyOf(loginFlows);
		this.requestCache = requestCache;
		this.answersChallenges = answersChallenges;
	}

	/**
	 * Set the authentication context classes one of which a token must name for a
	 * privileged operation.
	 * @param privilegedAcrValues the classes, empty for any
	 */
	public void setPrivilegedAcrValues(List<String> privilegedAcrValues) {
		this.privilegedAcrValues = List.copyOf(privilegedAcrValues);
	}

	@Override
	public List<String> privilegedAcrValues() {
		return this.privilegedAcrValues;
	}

	/**
	 * Set the application's role hierarchy, which Spring Security's authorization
	 * applies: a policy for an authority claims the authentications that reach it.
	 * @param roleHierarchy the role hierarchy, or {@code null} for none
	 */
	public void setRoleHierarchy(@Nullable RoleHierarchy roleHierarchy) {
		this.roleHierarchy = roleHierarchy;
	}

	/**
	 * Set the application's per-session policy overrides, applied in order.
	 * @param overrides the overrides
	 */
	public void setPolicyOverrides(List<ReactiveSessionPolicyOverride> overrides) {
		this.overrides = List.copyOf(overrides);
	}

	/**
	 * Set the security filter chains of Spring Security's {@code WebFilterChainProxy}, in
	 * its order, whose headers the answers given before it runs carry.
	 * @param securityWebFilterChains supplies the chains, asked for at the first such
	 * answer
	 */
	public void setSecurityWebFilterChains(Supplier<List<SecurityWebFilterChain>> securityWebFilterChains) {
		this.securityWebFilterChains = securityWebFilterChains;
	}

	@Override
	public String attribute() {
		return WebSessionServerSecurityContextRepository.DEFAULT_SPRING_SECURITY_CONTEXT_ATTR_NAME;
	}

	@Override
	public boolean isAuthenticated(@Nullable Object stored) {
		return authenticationOf(stored) != null;
	}

	@Override
	public @Nullable String nameOf(@Nullable Object stored) {
		Authentication authentication = authenticationOf(stored);
		return (authentication != null) ? authentication.getName() : null;
	}

	@Override
	public boolean mayBePrivileged(@Nullable Object stored) {
		Authentication authentication = authenticationOf(stored);
		// A switched authentication (SwitchUserWebFilter) only as the one it was
		// switched from
		return authentication != null && AuthenticationFactors.provedAFactor(authentication)
				&& AuthenticationFactors.knowsAuthenticationTime(this.loginFlows, authentication);
	}

	@Override
	public @Nullable SessionTimeoutPolicy policyOf(@Nullable Object stored) {
		Authentication authentication = authenticationOf(stored);
		return (authentication != null) ? AuthenticationPolicies.configuredPolicyOf(this.settings, authentication,
				this.trustResolver.isRememberMe(authentication), this.roleHierarchy) : null;
	}

	@Override
	public Mono<SessionTimeoutPolicy> adjust(Object stored, SessionTimeoutPolicy policy, ServerWebExchange exchange,
			String sessionIdHash) {
		Authentication authentication = authenticationOf(stored);
		if (this.overrides.isEmpty() || authentication == null) {
			return Mono.just(policy);
		}
		Mono<SessionTimeoutPolicy> adjusted = Mono.just(policy);
		for (ReactiveSessionPolicyOverride override : this.overrides) {
			adjusted = adjusted.flatMap((given) -> Mono.defer(() -> override.override(given, authentication, exchange))
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.map((overridden) -> PolicyOverrides.adjusted(this.settings, override, given, overridden.orElse(null),
						sessionIdHash)));
		}
		return adjusted;
	}

	@Override
	public boolean adjustsPolicies() {
		return !this.overrides.isEmpty();
	}

	@Override
	public @Nullable Login login(@Nullable Object previous, Object stored, @Nullable PendingChallenge challenge,
			Instant now) {
		Authentication authentication = authenticationOf(stored);
		Authentication before = (previous instanceof SecurityContext context) ? context.getAuthentication() : null;
		if (authentication == null || authentication == before || isSwitch(authentication)
				|| (before != null && isSwitchBackTo(before, authentication))) {
			// Not a login: the same authentication saved again, or a switch to another
			// user or back, which keeps the session's authentication time and policy
			return null;
		}
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		if (before != null && flow != null && flow.isRenewalOf(before, authentication)) {
			// Not a login either: the same user's tokens refreshed, with no
			// authentication
			// of the user (on servlet, no login event)
			return null;
		}
		Instant reported = (flow != null) ? flow.authenticatedAt(authentication) : null;
		if (challenge != null) {
			String refusal = SessionTimeoutAuthenticationStrategy.refusal(challenge, authentication,
					before == null || LoginFlow.isSameUser(this.loginFlows, before, authentication),
					knowsAuthenticationTime(authentication), reported, now);
			if (refusal != null) {
				throw new SessionAuthenticationException(refusal);
			}
		}
		return new Login(reported, AuthenticationPolicies.configuredPolicyOf(this.settings, authentication,
				this.trustResolver.isRememberMe(authentication), this.roleHierarchy));
	}

	@Override
	public boolean answersChallenges() {
		return this.answersChallenges;
	}

	@Override
	public boolean isDenial(Throwable failure) {
		// As on servlet: a refusal of access or a failed authentication, also as the
		// cause of another failure
		for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
			if (ex instanceof AccessDeniedException || ex instanceof AuthenticationException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public Mono<Boolean> isAuthenticatedOtherwise() {
		// The session's user is hidden from a request whose challenge was deferred: an
		// authentication it runs with came with the request
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.map((authentication) -> authentication.isAuthenticated()
					&& !this.trustResolver.isAnonymous(authentication))
			.defaultIfEmpty(false);
	}

	@Override
	public Mono<Boolean> isAuthenticatedAsAnotherUser(@Nullable String sessionUser) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.map((authentication) -> authentication.isAuthenticated() && !this.trustResolver.isAnonymous(authentication)
					&& !authentication.getName().equals(sessionUser))
			.defaultIfEmpty(false);
	}

	@Override
	public Mono<Boolean> isAuthenticatedByRequest() {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.map((authentication) -> {
				if (!authentication.isAuthenticated()) {
					return false;
				}
				LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
				return flow != null && flow.authenticatesEachRequest();
			})
			.defaultIfEmpty(false);
	}

	@Override
	public @Nullable PrivilegedDecision privilegedRefusalOf(Throwable failure) {
		return (failure instanceof AuthorizationDeniedException denied
				&& denied.getAuthorizationResult() instanceof PrivilegedSessionDecision decision)
						? new PrivilegedDecision(false, decision.getMaxAge(), decision.getAcrValues()) : null;
	}

	@Override
	public Mono<PrivilegedDecision> requestPrivileges(ServerWebExchange exchange, @Nullable String sessionUser) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.filter((authentication) -> authentication.isAuthenticated()
					&& !this.trustResolver.isAnonymous(authentication))
			.flatMap((authentication) -> {
				PrivilegedDecision token = tokenPrivileges(authentication, null);
				if (token != null) {
					return Mono.just(token);
				}
				return isAuthenticatedByBearerToken(exchange, authentication).flatMap((bearer) -> {
					if (bearer) {
						// A bearer token that the starter cannot read: never by the
						// session sent along, even its own user's
						return Mono.just(unreadableTokenPrivileges(authentication, null));
					}
					if (authentication.getName().equals(sessionUser)) {
						return Mono.empty();
					}
					// Another authentication without the session of its user (HTTP
					// Basic, an API key), as on servlet: by the time its newest factor
					// was proven
					return Mono.just(privilegesWithoutSession(authentication, null));
				});
			});
	}

	/**
	 * Return whether a request was authenticated by the bearer token it carries (RFC
	 * 6750: an {@code Authorization} header of the {@code Bearer} scheme, or an
	 * {@code access_token} query parameter), not by its session: its authentication is
	 * not the one its session holds. As on servlet, such an authentication is privileged
	 * only through a token that its login flow reads, never by the session sent along.
	 * @param exchange the exchange of the request
	 * @param authentication its authentication
	 * @return {@code true} if a bearer token authenticated the request
	 */
	Mono<Boolean> isAuthenticatedByBearerToken(ServerWebExchange exchange, Authentication authentication) {
		ServerHttpRequest request = exchange.getRequest();
		if (!SessionRequest.carriesBearerToken(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION),
				request.getURI().getRawQuery())) {
			return Mono.just(false);
		}
		return exchange.getSession()
			.map((session) -> !(userOf(session) instanceof SecurityContext context)
					|| !authentication.equals(context.getAuthentication()))
			.defaultIfEmpty(true);
	}

	/**
	 * Refuse a privileged operation to an authentication by a bearer token that the
	 * starter cannot read (its authentication holds no token, or the token no
	 * {@code auth_time}), as on servlet.
	 * @param authentication the authentication
	 * @param maxAge the operation's own maximum age, or {@code null} for the privileged
	 * age of the policy that the authentication's authorities choose
	 * @return the refusal
	 */
	PrivilegedDecision unreadableTokenPrivileges(Authentication authentication, @Nullable Duration maxAge) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		Duration required = (maxAge != null) ? maxAge
				: TokenPrivileges.privilegedMaxAge(this.settings, this.roleHierarchy, flow, authentication);
		return new PrivilegedDecision(false, (required != null) ? required : Duration.ZERO, this.privilegedAcrValues);
	}

	/**
	 * Decide a privileged operation by an authentication that no session of its user
	 * holds (HTTP Basic, X.509, an API key), as on servlet: by the time its login flow
	 * reports, else the time its newest {@code FactorGrantedAuthority} was issued, and
	 * the privileged age of the policy its authorities choose. One that proved no factor
	 * is never privileged (Spring Security's reactive authentication managers stamp
	 * none). Nor is one that a login into a session made ({@code oauth2Login()}): outside
	 * a request of that session (a {@code Mono} subscribed later with it), nothing tells
	 * whether the session still serves it (revoked, ended, signed out), which on servlet
	 * the request that served it records for other threads; it is refused (fail closed).
	 * @param authentication the authentication
	 * @param maxAge the operation's own maximum age, or {@code null} for the privileged
	 * age of the policy that the authentication's authorities choose
	 * @return the decision
	 */
	PrivilegedDecision privilegesWithoutSession(Authentication authentication, @Nullable Duration maxAge) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		Duration required = (maxAge != null) ? maxAge
				: TokenPrivileges.privilegedMaxAge(this.settings, this.roleHierarchy, flow, authentication);
		boolean sessionLogin = flow != null && !flow.authenticatesEachRequest();
		boolean granted = !sessionLogin && PrivilegedSessionAuthorizationManager
			.isPrivilegedWithoutSession(this.clocks.now(), flow, authentication, required);
		return new PrivilegedDecision(granted, (required != null) ? required : Duration.ZERO, List.of());
	}

	/**
	 * Decide a privileged operation by an authentication that comes with each request,
	 * such as a bearer token.
	 * @param authentication the authentication
	 * @param maxAge the operation's own maximum age, or {@code null} for the privileged
	 * age of the policy that the authentication's authorities choose
	 * @return the decision, or {@code null} if the authentication does not come with each
	 * request
	 */
	@Nullable PrivilegedDecision tokenPrivileges(Authentication authentication, @Nullable Duration maxAge) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		if (flow == null || !flow.authenticatesEachRequest()) {
			return null;
		}
		TokenPrivileges.Decision decision = TokenPrivileges.decide(this.clocks.now(), this.privilegedAcrValues, flow,
				authentication, (maxAge != null) ? maxAge
						: TokenPrivileges.privilegedMaxAge(this.settings, this.roleHierarchy, flow, authentication));
		return new PrivilegedDecision(decision.granted(), decision.maxAge(), decision.acrValues());
	}

	@Override
	public @Nullable String loginUrl(@Nullable Object stored) {
		Authentication authentication = authenticationOf(stored);
		LoginFlow flow = (authentication != null) ? LoginFlow.of(this.loginFlows, authentication) : null;
		return (flow != null) ? flow.loginUrl(authentication) : null;
	}

	/**
	 * Write the answer through the {@link HttpHeaderWriterWebFilter} of the security
	 * filter chain that matches the request, the first one, as the
	 * {@code WebFilterChainProxy} picks it: the answer is the rest of that filter's
	 * chain, so that the headers it writes as the response commits are exactly the
	 * chain's. A request that no chain matches, or whose chain writes no headers, gets
	 * the answer alone.
	 */
	@Override
	public Mono<Void> writeAnswer(ServerWebExchange exchange, Supplier<Mono<Void>> answer) {
		return Flux.fromIterable(this.securityWebFilterChains.get())
			.filterWhen((chain) -> chain.matches(exchange))
			.next()
			.flatMapMany(SecurityWebFilterChain::getWebFilters)
			.filter(HttpHeaderWriterWebFilter.class::isInstance)
			.cast(HttpHeaderWriterWebFilter.class)
			.next()
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((headers) -> headers.isPresent()
					? headers.get().filter(exchange, (answering) -> Mono.defer(answer)) : Mono.defer(answer));
	}

	@Override
	public Mono<Void> saveRequest(ServerWebExchange exchange) {
		return this.requestCache.saveRequest(exchange);
	}

	/**
	 * Return whether an authentication is the one that a switched authentication was
	 * switched from: the switch back. Another user who signs in while a user is
	 * impersonated signs in.
	 */
	private static boolean isSwitchBackTo(Authentication switched, Authentication authentication) {
		for (GrantedAuthority authority : switched.getAuthorities()) {
			if (authority instanceof SwitchUserGrantedAuthority switchUser) {
				Authentication source = switchUser.getSource();
				if (source == authentication || source.equals(authentication)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean isSwitch(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof SwitchUserGrantedAuthority) {
				return true;
			}
		}
		return false;
	}

	private boolean knowsAuthenticationTime(Authentication authentication) {
		LoginFlow flow = LoginFlow.of(this.loginFlows, authentication);
		return flow == null || flow.knowsAuthenticationTime(authentication);
	}

	private @Nullable Authentication authenticationOf(@Nullable Object stored) {
		Authentication authentication = (stored instanceof SecurityContext context) ? context.getAuthentication()
				: null;
		return (authentication != null && authentication.isAuthenticated()
				&& !this.trustResolver.isAnonymous(authentication)) ? authentication : null;
	}

}
