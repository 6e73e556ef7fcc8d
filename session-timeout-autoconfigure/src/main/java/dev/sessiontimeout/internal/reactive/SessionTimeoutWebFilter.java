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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.Assert;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.web.server.session.WebSessionStore;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.SessionTimeoutPolicy;
import dev.sessiontimeout.internal.session.EndedSessions;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionIds;
import dev.sessiontimeout.internal.session.SessionRequest;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.session.UserSessionIndex;
import dev.sessiontimeout.internal.web.DeviceSummary;
import dev.sessiontimeout.internal.web.PassiveRequestMatcher;
import dev.sessiontimeout.internal.web.PathPatterns;

/**
 * Asks the session clocks about every WebFlux request that names a session, before Spring
 * Security's {@code WebFilterChainProxy}, and answers as they decide: a request whose
 * session ended gets the reason (the session is invalidated and its attributes cleared
 * first, so that not even the expired page sees them), anything else proceeds. A request
 * that names a session the store no longer has is answered with the reason it ended, if
 * the clocks remember it, else as an unknown session; a store that does not answer gets a
 * {@code 503}. A request that names no session looks none up; a session it starts gets
 * its clocks before the response commits, ahead of the session manager's save. The
 * response of a request served from its session writes nothing once the session ended or
 * its user must authenticate again (see {@link WatchedServerHttpResponse}), so that a
 * stream that outlives the decision stops. What this filter answers before the chain runs
 * carries the headers that chain adds to every response
 * ({@link ReactiveSessionAuthentication#writeAnswer}).
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SessionTimeoutWebFilter implements WebFilter, Ordered {

	/**
	 * The default order: well before Spring Security's {@code WebFilterChainProxy}
	 * ({@code -100}).
	 */
	public static final int DEFAULT_ORDER = Ordered.HIGHEST_PRECEDENCE + 60;

	private final SessionClocks clocks;

	private final ReactiveSessionAnswers answers;

	private final PathPatterns passivePaths;

	private final @Nullable WebSessionIdResolver sessionIdResolver;

	/**
	 * The resolver that writes the session cookie, if some policy makes it persistent.
	 */
	private final @Nullable CookieWebSessionIdResolver persistentCookies;

	private ReactiveSessionAuthentication authentication = ReactiveSessionAuthentication.NONE;

	private PathPatterns privilegedPaths = PathPatterns.NONE;

	private Set<String> passiveGetPaths = Set.of();

	private Set<String> activityAtEndpointPaths = Set.of();

	private boolean recordDevice;

	private boolean recordAddress;

	private ReactiveUserSessionIndex userSessionIndex = ReactiveUserSessionIndex.NONE;

	private @Nullable StoredEndedSessions storedEndedSessions;

	private @Nullable WebSessionStore sessionStore;

	private @Nullable WebSessionManager sessionManager;

	private @Nullable ReactivePrivilegeGrants privilegeGrants;

	private @Nullable UserSessionStore userSessionStore;

	private Supplier<@Nullable ReactivePendingLogoutCheck> pendingLogoutCheck = () -> null;

	/**
	 * Create a new filter.
	 * @param clocks the session clocks
	 * @param expiredUrl where browsers whose session ended are sent, with an optional
	 * {@code {reason}} placeholder
	 * @param passivePaths the paths whose requests never count as activity
	 * @param sessionIdResolver how the session manager finds the session id of a request,
	 * or {@code null} if that is unknown (a session manager of the application's own):
	 * then every request's session is looked up and decided
	 */
	public SessionTimeoutWebFilter(SessionClocks clocks, String expiredUrl, PathPatterns passivePaths,
			@Nullable WebSessionIdResolver sessionIdResolver) {
		Assert.notNull(clocks, "'clocks' must not be null");
		this.clocks = clocks;
		this.answers = new ReactiveSessionAnswers(expiredUrl,
				(sessionIdResolver instanceof CookieWebSessionIdResolver cookies) ? cookies.getCookieName() : null);
		this.passivePaths = passivePaths;
		this.sessionIdResolver = sessionIdResolver;
		this.persistentCookies = (sessionIdResolver instanceof CookieWebSessionIdResolver cookies
				&& clocks.getSettings().hasPersistentCookies()) ? cookies : null;
		// A status names the privileged age only of a session that the decision of a
		// privileged operation may find privileged
		clocks.setMayBePrivileged(this::mayBePrivileged);
	}

	private boolean mayBePrivileged(SessionAttributeSource session) {
		ReactiveSessionAuthentication authentication = this.authentication;
		String attribute = authentication.attribute();
		return attribute != null && authentication.mayBePrivileged(session.getAttribute(attribute));
	}

	/**
	 * Set what the clocks need to know of the application's security.
	 * @param authentication the application's security
	 */
	public void setAuthentication(ReactiveSessionAuthentication authentication) {
		Assert.notNull(authentication, "'authentication' must not be null");
		this.authentication = authentication;
	}

	/**
	 * Set the paths whose requests need a privileged session.
	 * @param privilegedPaths the paths
	 */
	public void setPrivilegedPaths(PathPatterns privilegedPaths) {
		this.privilegedPaths = privilegedPaths;
	}

	/**
	 * Set where the one use of a privilege grant (the authentication that a maximum age
	 * of zero allows once) is claimed: in the store that keeps the sessions, without
	 * blocking. Without them, this node's memory decides.
	 * @param privilegeGrants the grants in the store
	 */
	public void setPrivilegeGrants(ReactivePrivilegeGrants privilegeGrants) {
		this.privilegeGrants = privilegeGrants;
	}

	/**
	 * Set the paths whose {@code GET} requests are passive: the status and the sessions
	 * endpoints.
	 * @param passiveGetPaths the paths
	 */
	public void setPassiveGetPaths(Collection<String> passiveGetPaths) {
		this.passiveGetPaths = Set.copyOf(passiveGetPaths);
	}

	/**
	 * Set the paths of the endpoints that count the activity of their requests other than
	 * {@code GET} and {@code HEAD} themselves (the status endpoint's {@code POST}, "stay
	 * signed in"): this filter decides those requests as passive, and the endpoint, which
	 * only a request that the application's security accepted reaches, records their
	 * activity, so that a {@code POST} it refuses (for want of the CSRF token, say) is
	 * none.
	 * @param activityAtEndpointPaths the paths
	 * @see ReactiveSessionStatuses#recordActivityAtEndpoint
	 */
	public void setActivityAtEndpointPaths(Collection<String> activityAtEndpointPaths) {
		this.activityAtEndpointPaths = Set.copyOf(activityAtEndpointPaths);
	}

	/**
	 * Set what is recorded in a session when a user signs in with it, for the user's list
	 * of sessions: a summary of the browser and system, and the address the request came
	 * from.
	 * @param device whether to record the browser and system
	 * @param address whether to record the address
	 */
	public void setRecordedAtLogin(boolean device, boolean address) {
		this.recordDevice = device;
		this.recordAddress = address;
	}

	/**
	 * Set the index of each user's sessions that the starter keeps where the store has
	 * none, told of every session a user signs in with, once it has its final id.
	 * @param userSessionIndex the index
	 */
	public void setUserSessionIndex(ReactiveUserSessionIndex userSessionIndex) {
		Assert.notNull(userSessionIndex, "'userSessionIndex' must not be null");
		this.userSessionIndex = userSessionIndex;
	}

	/**
	 * Set the store of the session manager, which the responses of served requests read
	 * their session from again, so that a session ended elsewhere stops them.
	 * @param sessionStore the store, or {@code null} to read the request's own session
	 */
	public void setSessionStore(@Nullable WebSessionStore sessionStore) {
		this.sessionStore = sessionStore;
	}

	/**
	 * Set where the sessions are kept, read for the last access of a session that the
	 * clocks adopt (one without the starter's state), as the store held it before the
	 * request.
	 * @param userSessionStore where the sessions are kept
	 */
	public void setUserSessionStore(UserSessionStore userSessionStore) {
		this.userSessionStore = userSessionStore;
	}

	/**
	 * Set the session manager, which gives the expired page a new session in place of the
	 * ended one.
	 * @param sessionManager the session manager, or {@code null} to leave the expired
	 * page the ended session (a session manager of the application's own)
	 */
	public void setSessionManager(@Nullable WebSessionManager sessionManager) {
		this.sessionManager = sessionManager;
	}

	/**
	 * Set where every node remembers why sessions ended, read for a request that names a
	 * session that neither the store nor this node knows.
	 * @param storedEndedSessions the ended sessions every node shares
	 */
	public void setStoredEndedSessions(StoredEndedSessions storedEndedSessions) {
		this.storedEndedSessions = storedEndedSessions;
	}

	/**
	 * Set what looks again, at the first request after an OpenID Connect login with
	 * back-channel logout, for the logouts kept for the logins under way; asked for only
	 * when such a session comes.
	 * @param pendingLogoutCheck gives the check, or {@code null} where there is none
	 */
	public void setPendingLogoutCheck(Supplier<@Nullable ReactivePendingLogoutCheck> pendingLogoutCheck) {
		Assert.notNull(pendingLogoutCheck, "'pendingLogoutCheck' must not be null");
		this.pendingLogoutCheck = pendingLogoutCheck;
	}

	@Override
	public int getOrder() {
		return DEFAULT_ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		AtomicReference<@Nullable ObservedWebSession> seen = new AtomicReference<>();
		// Registered before the session is first looked up, so that it runs before the
		// session manager's save, which that lookup registers: if it fails, the session
		// is not saved
		exchange.getResponse().beforeCommit(() -> Mono.defer(() -> beforeSave(exchange, seen.get())));
		ObservingExchange watched = new ObservingExchange(exchange, seen);
		List<String> requested = (this.sessionIdResolver != null) ? this.sessionIdResolver.resolveSessionIds(exchange)
				: null;
		if (requested != null && requested.isEmpty()) {
			// No session to decide about: none is looked up (or created) for nothing;
			// one the request starts is watched from then on
			return chain.filter(startedHere(watched, seen));
		}
		String requestedId = (requested != null) ? requested.get(0) : null;
		// A failure before the chain runs (the decision's, a 500) leaves the request
		// unserved, and its copy of the session unsaved
		AtomicBoolean entered = new AtomicBoolean();
		WebFilterChain entering = (next) -> {
			entered.set(true);
			return chain.filter(next);
		};
		return exchange.getSession()
			.map((session) -> Optional.of(observe(exchange, seen, session)))
			.defaultIfEmpty(Optional.empty())
			.onErrorResume(StoreFailures::isUnavailable,
					(ex) -> unavailable(exchange).then(Mono.<Optional<ObservedWebSession>>empty()))
			.flatMap((found) -> decide(watched, entering, found.orElse(null), requestedId))
			.doOnError((ex) -> {
				ObservedWebSession observed = seen.get();
				if (!entered.get() && observed != null) {
					UnservedSessionStore.leaveUnsaved(observed);
				}
			});
	}

	/**
	 * Answer a request whose store did not answer before its session was decided: the
	 * {@code 503} of the outage, unserved, and the request's copy of its session left
	 * unsaved (see {@link UnservedSessionStore}), so that its last access, the request's
	 * start, does not overwrite the store's, from which the clocks adopt a session
	 * without their state.
	 */
	private Mono<Void> unavailableUndecided(ServerWebExchange exchange, WebSession session) {
		UnservedSessionStore.leaveUnsaved(session);
		return unavailable(exchange);
	}

	/**
	 * Answer, before the security filter chain runs, a request whose store does not
	 * answer, with the headers that chain adds to every response.
	 */
	private Mono<Void> unavailable(ServerWebExchange exchange) {
		return this.authentication.writeAnswer(exchange, () -> this.answers.unavailable(exchange));
	}

	/**
	 * Answer, before the security filter chain runs, a request whose session ended or is
	 * unknown, with the headers that chain adds to every response.
	 */
	private Mono<Void> ended(ServerWebExchange exchange, ExpiryReason reason) {
		return this.authentication.writeAnswer(exchange, () -> this.answers.ended(exchange, reason));
	}

	/**
	 * Return the one view of its session that a request's application sees.
	 */
	private ObservedWebSession observe(ServerWebExchange exchange, AtomicReference<@Nullable ObservedWebSession> seen,
			WebSession session) {
		ObservedWebSession observed = seen.get();
		if (observed == null || !observed.views(session)) {
			observed = new ObservedWebSession(session, exchange, this.clocks, this.authentication, this::index,
					this::revocationsAtLogin);
			seen.set(observed);
			observed.exposeTo(exchange);
			// After the session manager's save, which its lookup registered: a login's
			// last read of its user's revocations
			ObservedWebSession saved = observed;
			exchange.getResponse().beforeCommit(() -> Mono.defer(() -> afterSave(saved)));
			CookieWebSessionIdResolver cookies = this.persistentCookies;
			if (cookies != null) {
				// After the session manager's save, which its lookup registered, and
				// which writes a browser-session cookie for a new id
				exchange.getResponse()
					.beforeCommit(() -> Mono.fromRunnable(() -> aimCookie(exchange, session, cookies)));
			}
		}
		return observed;
	}

	/**
	 * Give the session cookie of a persistent policy the remaining absolute lifetime
	 * (else the idle one) as its {@code Max-Age}, on every response, as on servlet: the
	 * cookie the application's resolver writes (its name and attributes), with that
	 * maximum age.
	 */
	private void aimCookie(ServerWebExchange exchange, WebSession session, CookieWebSessionIdResolver cookies) {
		if (!session.isStarted() || session.isExpired()) {
			return;
		}
		SessionState state = this.clocks.state(session::getAttribute);
		// A session its user signed out of keeps the policy of that user, but not its
		// persistent cookie: as on servlet, where the sign-out ends the session, it has
		// the global policy's browser-session cookie
		boolean signedOut = this.authentication.userOf(session) == null
				&& !this.clocks.getSettings().getDefaultPolicy().cookiePersistent();
		Integer maxAge = (state != null && !signedOut) ? state.cookieMaxAge() : null;
		if (maxAge == null) {
			return;
		}
		cookies.setSessionId(exchange, session.getId());
		ResponseCookie cookie = exchange.getResponse().getCookies().getFirst(cookies.getCookieName());
		if (cookie != null) {
			exchange.getResponse()
				.getCookies()
				.set(cookies.getCookieName(), cookie.mutate().maxAge(Duration.ofSeconds(maxAge)).build());
		}
	}

	private Mono<Void> decide(ObservingExchange exchange, WebFilterChain chain, @Nullable ObservedWebSession observed,
			@Nullable String requestedId) {
		if (observed == null) {
			return chain.filter(exchange);
		}
		WebSession session = ObservedWebSession.unwrap(observed);
		boolean expiredPage = this.answers.isExpiredPage(exchange);
		if (!session.isStarted()) {
			// The store no longer has the session the request names
			if (expiredPage || requestedId == null) {
				return chain.filter(startedHere(exchange, new AtomicReference<>(observed)));
			}
			return unknownSessionReason(requestedId).flatMap((unknown) -> ended(exchange, unknown));
		}
		if (!SessionAttributes.hasState(session::getAttribute)) {
			// Found without the starter's state: only the decision adopts it, from its
			// last access in the store; a request that fails before (a store that does
			// not answer, an override that fails) never starts its clocks from now
			observed.foundWithoutState();
		}
		ReactivePendingLogoutCheck check = (session.getAttribute(SessionAttributes.LOGOUT_CHECK_PENDING) != null)
				? this.pendingLogoutCheck.get() : null;
		if (check != null) {
			// The first request after an OpenID Connect login looks again for the logouts
			// kept for the logins under way: one that arrived after the login looked for
			// them, and before its session was saved, revokes it; a store that does not
			// answer fails the request, and the session keeps its mark
			return check.check(session, this.clocks.now())
				.thenReturn(Boolean.TRUE)
				.onErrorResume(StoreFailures::isUnavailable,
						(ex) -> unavailableUndecided(exchange, session).then(Mono.<Boolean>empty()))
				.flatMap((checked) -> decideStarted(exchange, chain, observed, session, expiredPage));
		}
		return decideStarted(exchange, chain, observed, session, expiredPage);
	}

	private Mono<Void> decideStarted(ObservingExchange exchange, WebFilterChain chain, ObservedWebSession observed,
			WebSession session, boolean expiredPage) {
		WebSessionAccess access = new WebSessionAccess(session);
		Object user = this.authentication.userOf(session);
		if (user != null && this.authentication.adjustsPolicies() && this.authentication.isAuthenticated(user)
				&& !this.clocks.holdsPolicy(access)) {
			// A signed-in session without a policy of its own (its user signed in before
			// the starter ran) is decided with the one the overrides give its user, which
			// it keeps; an override that fails fails the request
			SessionTimeoutPolicy configured = Objects.requireNonNull(this.authentication.policyOf(user));
			return this.authentication.adjust(user, configured, exchange, SessionIds.hash(session.getId()))
				.switchIfEmpty(Mono.error(() -> new IllegalStateException("No policy for the session")))
				.flatMap((policy) -> decided(exchange, chain, observed, session, expiredPage,
						new Request(exchange, session, true, policy)));
		}
		return decided(exchange, chain, observed, session, expiredPage, new Request(exchange, session));
	}

	private Mono<Void> decided(ObservingExchange exchange, WebFilterChain chain, ObservedWebSession observed,
			WebSession session, boolean expiredPage, Request request) {
		UserSessionStore store = this.userSessionStore;
		Mono<Instant> storedLastAccess = (store != null && !SessionAttributes.hasState(session::getAttribute))
				? store.lastAccessedTime(session.getId()) : null;
		if (storedLastAccess == null) {
			return decided(exchange, chain, observed, expiredPage, request, new WebSessionAccess(session));
		}
		// A session the clocks adopt (older than the starter, or that lost its state) is
		// idle since its last access as the store held it before this request, read
		// again: the request's copy has it at the request's start. Never as fresh: a
		// store that does not answer gets a 503 (and the request's copy, at the
		// request's start, is not saved), and a session it no longer has ends as an
		// unknown one
		String sessionId = session.getId();
		return storedLastAccess.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.onErrorResume(StoreFailures::isUnavailable,
					(ex) -> unavailableUndecided(exchange, session).then(Mono.<Optional<Instant>>empty()))
			.flatMap((lastAccess) -> {
				WebSessionAccess access = new WebSessionAccess(session, lastAccess.orElse(null));
				if (lastAccess.isPresent()) {
					return decided(exchange, chain, observed, expiredPage, request, access);
				}
				access.invalidate();
				return invalidateThen(access, exchange, true, () -> expiredPage ? chain.filter(withNewSession(exchange))
						: unknownSessionReason(sessionId).flatMap((reason) -> ended(exchange, reason)));
			});
	}

	private Mono<Void> decided(ObservingExchange exchange, WebFilterChain chain, ObservedWebSession observed,
			boolean expiredPage, Request request, WebSessionAccess access) {
		// A grant that a privileged path of a maximum age of zero needs is claimed once
		// the security filter chain let the request through, where it has the filter
		// that claims it (see ReactiveSessionChallengeWebFilter)
		request.claimDeferrable = this.authentication.answersChallenges();
		SessionDecision decision = this.clocks.decide(access, request);
		Mono<Boolean> claimed = request.claimLeftGrant();
		if (claimed == null) {
			return answer(exchange, chain, observed, request, access, decision, expiredPage);
		}
		// A privileged path that needs the grant: decided again once the store gave it
		// to this request, else the decision not to serve it stands. A store that does
		// not answer the claim gets a 503, and the request's copy, decided and without
		// the grant, is saved: the grant is spent, never left to a later request
		return claimed.map((used) -> used ? this.clocks.decide(access, request) : decision)
			.onErrorResume(StoreFailures::isUnavailable,
					(ex) -> unavailable(exchange).then(Mono.<SessionDecision>empty()))
			.flatMap((decided) -> answer(exchange, chain, observed, request, access, decided, expiredPage));
	}

	/**
	 * Answer a request of a started session as the clocks decided.
	 */
	private Mono<Void> answer(ObservingExchange exchange, WebFilterChain chain, ObservedWebSession observed,
			Request request, WebSessionAccess access, SessionDecision decision, boolean expiredPage) {
		WebSession session = request.session;
		ExpiryReason reason = decision.reason();
		if (reason == null || !reason.isEnding()) {
			// A logout that invalidates it is remembered, as an end
			observed.decided(decision);
		}
		if (reason == null) {
			deferActivity(request, decision);
			ServerWebExchange serving = exchange;
			Function<ServerWebExchange, Mono<Void>> serve = chain::filter;
			if (expiredPage) {
				// Never challenged, and never served with a user who must authenticate
				// again: it runs without that user, as anything anyone may see does
				SessionState state = decision.state();
				if (state != null && state.isReauthenticationDue() && request.isAuthenticated()) {
					observed.hideUser();
				}
			}
			else {
				// Watched innermost: what answers instead of the application further
				// out (the judge of a rewritten path, the claim of a grant, the answer
				// to a refusal) sees the body as the application wrote it
				serving = served(exchange, session, decision, request.isAuthenticated(), false);
				if (!this.privilegedPaths.isEmpty()) {
					// A web filter of the application may rewrite the path before the
					// security filter chain sees it: then the rewritten path is judged
					// too (without privileged paths, nothing to judge and nothing kept)
					ReactiveSessionChallengeWebFilter.decidedAt(exchange,
							exchange.getRequest().getPath().pathWithinApplication(), session, decision,
							this.sessionStore, (rewritten, claimDeferrable) -> decidePrivilegedPathAgain(rewritten,
									request, access, decision, claimDeferrable));
					// Whatever answers the request first judges its rewritten path,
					// should nothing have judged it by then: a path that no chain
					// covers, answered before the filter after Spring Security's chains
					ReactiveSessionChallengeWebFilter judges = grantClaims();
					serve = (claiming) -> judges.judgingRewriteOnAnswer(exchange, claiming, chain::filter);
				}
			}
			if (request.deferredClaim) {
				ReactiveSessionChallengeWebFilter.deferGrantClaim(exchange,
						(authorized) -> claimDeferredGrant(authorized, request, access));
				// Whatever answers the request first claims the grant, unless the
				// security filter chain did or does, and so does the end of a request
				// that nothing answered through the chain
				return grantClaims().claimingOnAnswer(exchange, serving, serve);
			}
			return serve.apply(serving);
		}
		if (reason.isEnding()) {
			// Even the expired page gets no more of the session than the rest: a new
			// one, as a servlet request gets after an invalidation, so that what the page
			// keeps in it (a CSRF token for signing in again) is saved
			return invalidateThen(access, exchange, true,
					() -> expiredPage ? chain.filter(withNewSession(exchange)) : ended(exchange, reason));
		}
		Duration maxAge = decision.maxAge();
		if (expiredPage || maxAge == null) {
			return chain.filter(exchange);
		}
		if (this.authentication.answersChallenges()) {
			// Login, callback and logout requests go on; anything else runs without
			// its user until the security filter chain answers it with the challenge,
			// or lets it through without the user: then it is served as such
			observed.hideUser();
			ReactiveSessionChallengeWebFilter.defer(exchange, decision, (reason == ExpiryReason.REAUTHENTICATION)
					? (authorized, next) -> servedWithoutUser(authorized, next, session) : null);
			return chain.filter(exchange);
		}
		return this.authentication.writeAnswer(exchange, () -> this.answers.challenge(exchange, reason, maxAge));
	}

	/**
	 * Return what claims the privilege grant of a request whose decision left its claim
	 * to the chain, should something answer the request before the chain claimed it, and
	 * what judges a path that the request was rewritten to, should something answer it
	 * before the chain (or the filter after the chains) judged it.
	 */
	private ReactiveSessionChallengeWebFilter grantClaims() {
		ReactiveSessionChallengeWebFilter claims = new ReactiveSessionChallengeWebFilter(this.clocks, this.answers,
				this.authentication);
		claims.setPrivilegedPaths(this.privilegedPaths);
		return claims;
	}

	/**
	 * Claim the privilege grant whose claim the session's decision of a request left to
	 * its security filter chain, now that the chain let it through: through the same
	 * one-use check as the decision, in the store if it decides the grants.
	 * @return whether the request got the grant; an error if the store did not answer
	 */
	private Mono<Boolean> claimDeferredGrant(ServerWebExchange exchange, Request decided, WebSessionAccess access) {
		Request request = new Request(exchange, decided.session, true, decided.authenticatedPolicy);
		boolean privileged = this.clocks.isPrivileged(access, Duration.ZERO, request);
		Mono<Boolean> claimed = request.claimLeftGrant();
		return (claimed != null) ? claimed : Mono.just(privileged);
	}

	/**
	 * Decide the rule of privileged paths again for a request that its session's decision
	 * served, with its path as a web filter of the application rewrote it since, from the
	 * state that decision found: a path that needs the grant of a maximum age of zero is
	 * decided again once the store gave it to this request, else the challenge stands.
	 * Decided in a security filter chain, before its authorization, the claim of that
	 * grant is left to the filter right after the authorization, as the first decision
	 * leaves it: a request that the chain refuses spends no grant.
	 */
	private Mono<SessionDecision> decidePrivilegedPathAgain(ServerWebExchange rewritten, Request decided,
			WebSessionAccess access, SessionDecision decision, boolean claimDeferrable) {
		Request request = new Request(rewritten, decided.session, true, decided.authenticatedPolicy);
		request.claimDeferrable = claimDeferrable;
		SessionDecision challenge = this.clocks.decidePrivilegedPathAgain(access, decision, request);
		if (request.deferredClaim) {
			ReactiveSessionChallengeWebFilter.deferGrantClaim(rewritten,
					(authorized) -> claimDeferredGrant(authorized, decided, access));
		}
		Mono<Boolean> claimed = request.claimLeftGrant();
		if (claimed == null) {
			return Mono.justOrEmpty(challenge);
		}
		return claimed.flatMap((used) -> Mono
			.justOrEmpty(used ? this.clocks.decidePrivilegedPathAgain(access, decision, request) : challenge));
	}

	/**
	 * Serve a request whose user must authenticate again and that the security filter
	 * chain's authorization let through without that user, as on servlet: it counts as
	 * activity (unless it is passive) and its response is watched, without the user.
	 */
	private Mono<Void> servedWithoutUser(ServerWebExchange exchange, WebFilterChain chain, WebSession session) {
		WebSessionAccess access = new WebSessionAccess(session);
		Request request = new Request(exchange, session, false);
		SessionDecision decision = this.clocks.decide(access, request);
		ExpiryReason reason = decision.reason();
		if (reason != null && reason.isEnding()) {
			// A deadline reached since the request was first decided
			return invalidateThen(access, exchange, false, () -> this.answers.ended(exchange, reason));
		}
		deferActivity(request, decision);
		// Neither its user nor a privileged session needed: served, never challenged
		// unless something further down refuses it for want of its user
		ReactiveSessionChallengeWebFilter.servedWithoutUser(exchange, session, decision, this.sessionStore);
		// Watched outside the answer to a refusal that the filter right after the
		// security filter chain's authorization decorated the response with already
		return chain.filter(served(exchange, session, decision, false, true));
	}

	/**
	 * Leave the activity of a request served from its session to the endpoint it names,
	 * if that endpoint records it: once the application's security accepted the request.
	 */
	private void deferActivity(Request request, SessionDecision decision) {
		if (decision.state() != null && request.defersActivity()) {
			ReactiveSessionStatuses.deferActivity(request.exchange, request.session, decision);
		}
	}

	/**
	 * Invalidate an ended session, then answer its request; a store that does not answer
	 * the invalidation gets the request a {@code 503}, with the security filter chain's
	 * headers if that chain has not run yet (the answer, once begun, brings them: the
	 * chain itself, or an answer written through it).
	 */
	private Mono<Void> invalidateThen(WebSessionAccess access, ServerWebExchange exchange, boolean beforeChain,
			Supplier<Mono<Void>> answer) {
		AtomicBoolean answering = new AtomicBoolean(!beforeChain);
		Mono<Void> answered = Mono.defer(() -> {
			answering.set(true);
			return answer.get();
		});
		return access.invalidation()
			.then(answered)
			.onErrorResume(StoreFailures::isUnavailable,
					(ex) -> answering.get() ? this.answers.unavailable(exchange) : unavailable(exchange));
	}

	/**
	 * Return the exchange of a request whose session this filter just invalidated, with a
	 * new session that the session manager saves (and names in its cookie) if the request
	 * starts it, instead of the invalidated one, which saves nothing.
	 */
	private ServerWebExchange withNewSession(ObservingExchange exchange) {
		WebSessionManager sessionManager = this.sessionManager;
		if (sessionManager != null) {
			exchange.replaceSession(sessionManager.getSession(exchange.getDelegate()).cache());
		}
		return exchange;
	}

	/**
	 * Return why a session that the store does not know ended: as this node remembers it,
	 * else as the store every node shares does, else {@link ExpiryReason#INVALID} (also
	 * if that store does not answer: the request is not served either way).
	 */
	private Mono<ExpiryReason> unknownSessionReason(String sessionId) {
		ExpiryReason remembered = this.clocks.unknownSessionReason(sessionId);
		StoredEndedSessions stored = this.storedEndedSessions;
		if (remembered != ExpiryReason.INVALID || stored == null || SessionClocks.namesARecord(sessionId)) {
			return Mono.just(remembered);
		}
		return stored.reasonInStore(sessionId, this.clocks.now())
			.onErrorResume((ex) -> Mono.empty())
			.defaultIfEmpty(ExpiryReason.INVALID);
	}

	/**
	 * Return the exchange of a request served from its session, with its response watched
	 * over: it writes nothing once the session ended or, if the request runs with its
	 * user's authentication and no re-authentication was due when it was decided, that
	 * user must authenticate again. The starter's answers are written to the given
	 * exchange's response.
	 * @param answeredFurtherIn whether a response decorator of the starter's that may
	 * answer instead of the application sits further in (see
	 * {@link WatchedServerHttpResponse#watch})
	 */
	private ServerWebExchange served(ServerWebExchange exchange, WebSession session, SessionDecision decision,
			boolean authenticated, boolean answeredFurtherIn) {
		SessionState state = decision.state();
		if (state == null) {
			return exchange;
		}
		String sessionId = session.getId();
		WatchedServerHttpResponse response = WatchedServerHttpResponse.watch(
				exchange.getResponse(), (lookup) -> this.clocks.watch(sessionId, state,
						decision.writtenAuthenticatedAt(), authenticated && !state.isReauthenticationDue(), lookup),
				session, this.sessionStore,
				(stop, maxAge) -> stop.isEnding() ? this.answers.ended(exchange, stop)
						: this.answers.challenge(exchange, stop, maxAge),
				() -> this.answers.unavailable(exchange), answeredFurtherIn);
		return exchange.mutate().response(response).build();
	}

	/**
	 * Return the exchange of a request that has no started session yet, with its response
	 * watched over the session the request starts, once its clocks started, so that what
	 * it writes later (server-sent events, say) stops with that session.
	 */
	private ServerWebExchange startedHere(ServerWebExchange exchange,
			AtomicReference<@Nullable ObservedWebSession> seen) {
		WatchedServerHttpResponse response = WatchedServerHttpResponse.watchOnceStarted(exchange.getResponse(), () -> {
			ObservedWebSession observed = seen.get();
			return (observed != null) ? ObservedWebSession.unwrap(observed) : null;
		}, (session, lookup) -> {
			SessionState state = this.clocks.state(session::getAttribute);
			return (state != null) ? this.clocks.watch(session.getId(), state, null, false, lookup) : null;
		}, this.sessionStore, (stop, maxAge) -> this.answers.ended(exchange, stop),
				() -> this.answers.unavailable(exchange));
		return exchange.mutate().response(response).build();
	}

	/**
	 * Record a login the request stored in its session and that is not recorded yet;
	 * start the clocks of a session the request started; for a session a user signed in
	 * with, record what the user's list of sessions shows of it, and index it by user,
	 * now that it has its final id.
	 */
	private Mono<Void> beforeSave(ServerWebExchange exchange, @Nullable ObservedWebSession observed) {
		if (observed == null) {
			return Mono.empty();
		}
		return observed.recordLogin().then(Mono.defer(() -> recordedBeforeSave(exchange, observed)));
	}

	private Mono<Void> recordedBeforeSave(ServerWebExchange exchange, ObservedWebSession observed) {
		WebSession session = ObservedWebSession.unwrap(observed);
		if (!session.isStarted()) {
			return Mono.empty();
		}
		// A copy, signed in, of a session whose user signed out of it under the same id
		// is ended if a request that loaded it before saves it after (Spring Session's
		// map)
		observed.rememberIfSignedOut();
		if (!SessionAttributes.hasState(session::getAttribute) && !observed.isFoundWithoutState()) {
			this.clocks.start(new WebSessionAccess(session));
		}
		SessionState login = observed.login();
		if (login != null) {
			recordLoginDetails(exchange.getRequest(), session);
		}
		// A login, a switch of user or an id changed by the application: indexed under
		// the final id (again, if the change of id indexed it already); a login reads
		// its user's revocations once the session is saved (afterSave)
		// So is a session the application filed in its store's own index under another
		// name than its user's (an email address), which the store does not find it under
		boolean refiled = this.userSessionIndex.keepsSwitchesOnly()
				&& this.clocks.refiled(new WebSessionAccess(session));
		return (login != null || observed.idChanged() || refiled) ? index(session) : Mono.empty();
	}

	/**
	 * Read again, once the session manager saved the session of a login as the response
	 * commits, the record of its user's revocations everywhere: a revocation that ran
	 * while the request did could not find the session, which the store holds only from
	 * that save on; one that the read misses (it records itself after the read) finds it
	 * in the store and, where the starter keeps the index, in the index, written before
	 * the save. A session found revoked is marked so and saved again (one more write,
	 * only then), and ends, reason {@code revoked}, at its next request.
	 */
	private Mono<Void> afterSave(ObservedWebSession observed) {
		Mono<UserRevocations.Seen> revocationsAtLogin = (observed.login() != null) ? observed.revocationsAtLogin()
				: null;
		WebSession session = ObservedWebSession.unwrap(observed);
		if (revocationsAtLogin == null || !session.isStarted() || session.isExpired()) {
			return Mono.empty();
		}
		return revocationsAtLogin.flatMap((seen) -> revokeIfRevokedInFlight(session, seen))
			.filter(Boolean::booleanValue)
			.flatMap((revoked) -> session.save());
	}

	/**
	 * Return what a login reads, as it is stored, of its user's last revocation
	 * everywhere ({@link UserRevocations}); noted unread if it cannot be read.
	 */
	private Mono<UserRevocations.Seen> revocationsAtLogin(SessionAttributeSource session) {
		UserRevocations.Seen unread = this.clocks.revocationsToRead(session);
		if (unread == null) {
			return Mono.empty();
		}
		return revocationOf(unread).map((entry) -> unread.read(entry.orElse(null))).onErrorReturn(unread);
	}

	/**
	 * Return the record of the last revocation everywhere of the user of a login: in the
	 * store every node shares, else in this node's memory.
	 */
	private Mono<Optional<EndedSessions.Entry>> revocationOf(UserRevocations.Seen login) {
		StoredEndedSessions stored = this.storedEndedSessions;
		if (stored == null) {
			return Mono.fromCallable(() -> Optional.ofNullable(this.clocks.revocationOf(login)));
		}
		return stored.entryInStore(login.key(), this.clocks.now()).map(Optional::of).defaultIfEmpty(Optional.empty());
	}

	/**
	 * Revoke, as the request of a login in it ends, a session whose user's sessions were
	 * revoked everywhere while it ran, as the record read again tells: marked revoked in
	 * the request's copy, which the caller saves. The session is invalidated, and the
	 * request fails, if the record cannot be read: a session its user's revocation may
	 * have missed is never kept.
	 * @return whether the session was revoked
	 */
	private Mono<Boolean> revokeIfRevokedInFlight(WebSession session, UserRevocations.Seen atLogin) {
		return revocationOf(atLogin)
			.map((atEnd) -> this.clocks.revokeIfRevokedInFlight(new WebSessionAccess(session), atLogin,
					atEnd.orElse(null)))
			.onErrorResume((ex) -> ObservedWebSession.invalidateThenFail(session, ex));
	}

	/**
	 * Record what the user's list of sessions shows of a session a user signed in with:
	 * the browser and system, and the address the request came from.
	 */
	private void recordLoginDetails(ServerHttpRequest request, WebSession session) {
		if (!this.recordDevice && !this.recordAddress) {
			return;
		}
		InetSocketAddress remote = request.getRemoteAddress();
		InetAddress address = (remote != null) ? remote.getAddress() : null;
		String text = null;
		if (this.recordAddress && address != null) {
			text = address.getHostAddress();
			int scope = text.indexOf('%');
			text = (scope >= 0) ? text.substring(0, scope) : text;
		}
		SessionAttributes.recordSignIn(new WebSessionAccess(session),
				this.recordDevice ? DeviceSummary.code(request.getHeaders().getFirst(HttpHeaders.USER_AGENT)) : null,
				text);
	}

	/**
	 * Index a signed-in session by its user, under its current id: under the session's
	 * user (unless the store files it under its user itself), and under each user who
	 * switched to that one, whose session it is too.
	 */
	private Mono<Void> index(WebSession session) {
		if (!session.isStarted()) {
			return Mono.empty();
		}
		SessionState state = this.clocks.state(session::getAttribute);
		UserSessionIndex.Entry entry = (state != null) ? this.clocks.userSessionEntry(session::getAttribute, state)
				: null;
		if (entry == null) {
			return Mono.empty();
		}
		Instant now = this.clocks.now();
		Flux<String> switchedFrom = Flux.fromIterable(this.clocks.switchedFrom(session::getAttribute));
		// A store that files the session under its user itself needs only the others;
		// one that files it under a name the application gave it needs its user too
		return ((this.userSessionIndex.keepsSwitchesOnly()
				&& SessionAttributes.filedUnderAnotherName(session::getAttribute, entry.username()) == null)
						? switchedFrom : Flux.concat(Flux.just(entry.username()), switchedFrom))
			.concatMap((username) -> this.userSessionIndex.add(username, session.getId(), entry.until(), now))
			.then();
	}

	/**
	 * A WebFlux request as the clocks ask about it.
	 */
	private final class Request extends ExchangeSessionRequest {

		private final WebSession session;

		private final boolean requiresAuthentication;

		private final @Nullable SessionTimeoutPolicy authenticatedPolicy;

		/**
		 * Whether the decision may leave the claim of a privilege grant to the security
		 * filter chain: only the first decision of the request's own session.
		 */
		boolean claimDeferrable;

		/**
		 * Whether the decision left the claim of a privilege grant to the chain.
		 */
		boolean deferredClaim;

		Request(ServerWebExchange exchange, WebSession session) {
			this(exchange, session, true, null);
		}

		Request(ServerWebExchange exchange, WebSession session, boolean requiresAuthentication) {
			this(exchange, session, requiresAuthentication, null);
		}

		/**
		 * Create a request.
		 * @param exchange the exchange
		 * @param session its session
		 * @param requiresAuthentication whether it needs its user: before the security
		 * filter chain tells, it is taken to; one that the chain lets through without its
		 * user needs neither the user nor a privileged session
		 * @param authenticatedPolicy the policy that the overrides gave the session's
		 * user, for a session without a policy of its own, or {@code null} for the one
		 * the user's authentication chooses
		 */
		Request(ServerWebExchange exchange, WebSession session, boolean requiresAuthentication,
				@Nullable SessionTimeoutPolicy authenticatedPolicy) {
			super(exchange, SessionTimeoutWebFilter.this.privilegeGrants);
			this.session = session;
			this.requiresAuthentication = requiresAuthentication;
			this.authenticatedPolicy = authenticatedPolicy;
		}

		@Override
		public boolean isPassive() {
			ServerHttpRequest request = this.exchange.getRequest();
			String path = request.getPath().pathWithinApplication().value();
			return "passive".equalsIgnoreCase(request.getHeaders().getFirst(PassiveRequestMatcher.HEADER))
					|| ((request.getMethod() == HttpMethod.GET || request.getMethod() == HttpMethod.HEAD)
							&& SessionTimeoutWebFilter.this.passiveGetPaths.contains(path))
					|| SessionTimeoutWebFilter.this.passivePaths.matches(request.getPath().pathWithinApplication())
					|| isActivityAtEndpoint();
		}

		/**
		 * Return whether the request is passive only because the endpoint it names
		 * records its activity itself, once it is reached: neither marked passive by its
		 * header nor of a passive path.
		 */
		boolean defersActivity() {
			ServerHttpRequest request = this.exchange.getRequest();
			return isActivityAtEndpoint()
					&& !"passive".equalsIgnoreCase(request.getHeaders().getFirst(PassiveRequestMatcher.HEADER))
					&& !SessionTimeoutWebFilter.this.passivePaths.matches(request.getPath().pathWithinApplication());
		}

		private boolean isActivityAtEndpoint() {
			Set<String> paths = SessionTimeoutWebFilter.this.activityAtEndpointPaths;
			ServerHttpRequest request = this.exchange.getRequest();
			return !paths.isEmpty() && request.getMethod() != HttpMethod.GET && request.getMethod() != HttpMethod.HEAD
					&& paths.contains(request.getPath().pathWithinApplication().value());
		}

		@Override
		public boolean isExempt() {
			return SessionTimeoutWebFilter.this.answers.isExpiredPage(this.exchange);
		}

		@Override
		public boolean isAuthenticated() {
			return SessionTimeoutWebFilter.this.authentication.isAuthenticated(user());
		}

		@Override
		public boolean mayBePrivileged() {
			return SessionTimeoutWebFilter.this.authentication.mayBePrivileged(user());
		}

		@Override
		public boolean requiresAuthentication() {
			return this.requiresAuthentication;
		}

		@Override
		public boolean isPrivilegedPath() {
			return this.requiresAuthentication && SessionTimeoutWebFilter.this.privilegedPaths
				.matches(this.exchange.getRequest().getPath().pathWithinApplication());
		}

		@Override
		public boolean carriesBearerToken() {
			ServerHttpRequest request = this.exchange.getRequest();
			return SessionRequest.carriesBearerToken(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION),
					request.getURI().getRawQuery());
		}

		@Override
		public boolean defersPrivilegeGrantClaim() {
			if (!this.claimDeferrable) {
				return false;
			}
			this.deferredClaim = true;
			return true;
		}

		@Override
		public @Nullable SessionTimeoutPolicy authenticatedPolicy() {
			SessionTimeoutPolicy adjusted = this.authenticatedPolicy;
			return (adjusted != null) ? adjusted : SessionTimeoutWebFilter.this.authentication.policyOf(user());
		}

		private @Nullable Object user() {
			return SessionTimeoutWebFilter.this.authentication.userOf(this.session);
		}

	}

	/**
	 * The exchange that the chain gets: every session it looks up is seen through
	 * {@link #observe}, the request's own or the new one that replaced it.
	 */
	private final class ObservingExchange extends ServerWebExchangeDecorator {

		private final AtomicReference<@Nullable ObservedWebSession> seen;

		private volatile @Nullable Mono<WebSession> replacement;

		ObservingExchange(ServerWebExchange delegate, AtomicReference<@Nullable ObservedWebSession> seen) {
			super(delegate);
			this.seen = seen;
		}

		void replaceSession(Mono<WebSession> session) {
			this.replacement = session;
		}

		@Override
		public Mono<WebSession> getSession() {
			Mono<WebSession> replacement = this.replacement;
			return ((replacement != null) ? replacement : super.getSession())
				.map((session) -> observe(getDelegate(), this.seen, session));
		}

	}

}
