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

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionStore;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionClocks;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.web.PathPatterns;

/**
 * Answers, inside the security filter chain, a request whose user must authenticate again
 * (re-authentication, a privileged path), which the {@link SessionTimeoutWebFilter} let
 * run without that user, and a request that a {@code @RequiresPrivilegedSession} method
 * refused: it sits right before the authorization filter, so that the chain's login,
 * callback and logout requests, which the user needs to meet the challenge, never reach
 * it. A privileged path is challenged at once; a due re-authentication only where the
 * request is denied to the user's absence (by a URL rule or method security), so that
 * what anyone may see is served without the user, as on servlet. The challenge is
 * recorded in the session, so that only the same user, recently enough authenticated,
 * meets it; a browser's request is saved for after its login and the browser sent to
 * where its user signs in again (the login URL of its login flow, such as the
 * authorization endpoint of its OpenID Connect provider, else the expired URL with the
 * reason); anything else gets the {@code 401} with the RFC 9470 {@code WWW-Authenticate}
 * header.
 *
 * @author session-timeout
 */
public class ReactiveSessionChallengeWebFilter implements WebFilter {

	private static final String PENDING_CHALLENGE_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".PENDING";

	private static final String WITHOUT_USER_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".WITHOUT_USER";

	private static final String SERVED_WITHOUT_USER_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".SERVED_WITHOUT_USER";

	private static final String DECIDED_PATH_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".DECIDED_PATH";

	private static final String GRANT_CLAIM_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".GRANT_CLAIM";

	private static final String IN_CHAIN_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName() + ".IN_CHAIN";

	private static final String JUDGED_PATHS_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".JUDGED_PATHS";

	private static final String PAST_CHAINS_ATTRIBUTE = ReactiveSessionChallengeWebFilter.class.getName()
			+ ".PAST_CHAINS";

	private static final Runnable NOTHING = () -> {
	};

	private final SessionClocks clocks;

	private final ReactiveSessionAnswers answers;

	private final ReactiveSessionAuthentication authentication;

	private PathPatterns privilegedPaths = PathPatterns.NONE;

	/**
	 * Create a new filter.
	 * @param clocks the session clocks
	 * @param expiredUrl where browsers are sent, with an optional {@code {reason}}
	 * placeholder
	 * @param authentication the application's security
	 */
	public ReactiveSessionChallengeWebFilter(SessionClocks clocks, String expiredUrl,
			ReactiveSessionAuthentication authentication) {
		this(clocks, new ReactiveSessionAnswers(expiredUrl), authentication);
	}

	/**
	 * Create a new filter that answers as the given answers do.
	 * @param clocks the session clocks
	 * @param answers the answers
	 * @param authentication the application's security
	 */
	ReactiveSessionChallengeWebFilter(SessionClocks clocks, ReactiveSessionAnswers answers,
			ReactiveSessionAuthentication authentication) {
		this.clocks = clocks;
		this.answers = answers;
		this.authentication = authentication;
	}

	/**
	 * Leave the challenge of a request to this filter.
	 * @param exchange the exchange
	 * @param decision the decision to challenge its user
	 * @param withoutUser serves the request if the chain's authorization lets it through
	 * without its user, or {@code null} to let it through as it is
	 */
	static void defer(ServerWebExchange exchange, SessionDecision decision, @Nullable WithoutUser withoutUser) {
		exchange.getAttributes().put(PENDING_CHALLENGE_ATTRIBUTE, decision);
		if (withoutUser != null) {
			exchange.getAttributes().put(WITHOUT_USER_ATTRIBUTE, withoutUser);
		}
	}

	/**
	 * Remember that a request whose challenge was deferred is served without its user, so
	 * that the activity it recorded is taken back if something further down (method
	 * security) refuses it for want of that user.
	 * @param exchange the exchange
	 * @param session its session
	 * @param decision the decision to serve it
	 * @param store the store that each request reads a copy of the session from, to tell
	 * whether another request saved it since, {@code null} if the request's session is
	 * the one every request shares
	 */
	static void servedWithoutUser(ServerWebExchange exchange, WebSession session, SessionDecision decision,
			@Nullable WebSessionStore store) {
		exchange.getAttributes().put(SERVED_WITHOUT_USER_ATTRIBUTE, new ServedWithoutUser(session, decision, store));
	}

	/**
	 * Remember the path on which the {@link SessionTimeoutWebFilter} decided to serve a
	 * request from its session, and how to decide the rule of privileged paths again,
	 * should a web filter of the application rewrite that path before the security filter
	 * chain sees it.
	 * @param exchange the exchange
	 * @param path the path within the application that the decision judged
	 * @param session the request's session
	 * @param decision the decision to serve it
	 * @param store the store that each request reads a copy of the session from, to tell
	 * whether another request saved it since, {@code null} if the request's session is
	 * the one every request shares
	 * @param again decides the rule of privileged paths again for the exchange as it is
	 * now
	 */
	static void decidedAt(ServerWebExchange exchange, PathContainer path, WebSession session, SessionDecision decision,
			@Nullable WebSessionStore store, PrivilegedPathAgain again) {
		exchange.getAttributes()
			.put(DECIDED_PATH_ATTRIBUTE,
					new DecidedPath(path.value(), new ServedWithoutUser(session, decision, store), again));
		Set<String> judged = ConcurrentHashMap.newKeySet();
		judged.add(path.value());
		exchange.getAttributes().put(JUDGED_PATHS_ATTRIBUTE, judged);
	}

	/**
	 * Remember that the rule of privileged paths judged a request by the path it has now.
	 */
	private static void judgedAt(ServerWebExchange exchange, PathContainer path) {
		if (exchange.getAttribute(JUDGED_PATHS_ATTRIBUTE) instanceof Set<?> judged) {
			@SuppressWarnings("unchecked")
			Set<String> paths = (Set<String>) judged;
			paths.add(path.value());
		}
	}

	/**
	 * Leave the claim of the privilege grant that a privileged path with a maximum age of
	 * zero needs to the filter right after the chain's authorization (or, for a request
	 * that no security filter chain covers, right after Spring Security's filter chains):
	 * a request that the chain refuses (CSRF, authorization) does not spend the grant.
	 * @param exchange the exchange, which its session's decision served
	 * @param claim claims the grant
	 */
	static void deferGrantClaim(ServerWebExchange exchange, GrantClaim claim) {
		exchange.getAttributes().put(GRANT_CLAIM_ATTRIBUTE, claim);
	}

	/**
	 * Return the filter that goes right after the chain's authorization: a request whose
	 * challenge was deferred and that the authorization let through without its user is
	 * served as such from there (it counts as activity and its response is watched, as on
	 * servlet).
	 * @return the filter
	 */
	public WebFilter afterAuthorization() {
		return new WithoutUserWebFilter(Ordered.LOWEST_PRECEDENCE, this, false);
	}

	/**
	 * Return the filter that goes right after Spring Security's filter chains, for a
	 * request that no security filter chain covers: its challenge was deferred to a
	 * filter like this one in a chain, which never ran, so this one answers it, and a
	 * refusal further down for want of the user gets the challenge and is no activity, as
	 * in a chain.
	 * @param order its order among the application's web filters
	 * @return the filter
	 */
	public WithoutUserWebFilter afterSecurityChains(int order) {
		return new WithoutUserWebFilter(order, this, true);
	}

	/**
	 * Return the filter that goes first in a security filter chain: it marks a request
	 * that such a chain covers, whose privilege grant the filter right after the chain's
	 * authorization claims, so that an answer of the chain before it (a refusal) spends
	 * no grant.
	 * @return the filter
	 */
	public WebFilter chainStart() {
		return (exchange, chain) -> {
			exchange.getAttributes().put(IN_CHAIN_ATTRIBUTE, Boolean.TRUE);
			return chain.filter(exchange);
		};
	}

	/**
	 * Serve a request whose session's decision left the claim of its privilege grant to
	 * the chain with an exchange whose response claims that grant before anything answers
	 * the request, should nothing have claimed it by then: a web filter of the
	 * application that answers a request that no security filter chain covers before the
	 * filter right after Spring Security's chains could claim it, say. An answer of a
	 * security filter chain of the starter's is left alone: that chain claims the grant
	 * right after its authorization, and what it answers before (a refusal) spends none.
	 * A request that no such chain covers and whose grant is still unclaimed once it was
	 * served claims it then: answered with its status and headers only, the server
	 * completes its response past the one that claims, and an answer that went past it
	 * otherwise (or a failure) spends the grant all the same.
	 * @param exchange the exchange as the session's decision served it, whose response
	 * the starter's answer is written to
	 * @param serving the exchange to serve the request with, whose response the one that
	 * claims decorates
	 * @param served serves the request with the exchange whose response claims first
	 * @return the completion of the request
	 */
	Mono<Void> claimingOnAnswer(ServerWebExchange exchange, ServerWebExchange serving,
			Function<ServerWebExchange, Mono<Void>> served) {
		GrantClaimingResponse response = new GrantClaimingResponse(exchange, serving.getResponse());
		ServerWebExchange claiming = serving.mutate().response(response).build();
		return served.apply(claiming)
			.onErrorResume((ex) -> claimedAfter(exchange, response, true).then(Mono.error(ex)))
			.then(Mono.defer(() -> claimedAfter(exchange, response, false)));
	}

	/**
	 * Serve a request that its session's decision served, where privileged paths are
	 * configured, with an exchange that notes the request a web filter of the application
	 * rewrites it to ({@code exchange.mutate().request(...)}) and whose response judges
	 * that rewritten path by the rule of privileged paths before anything answers the
	 * request, should neither a security filter chain nor the filter right after Spring
	 * Security's chains have judged it by then: a web filter of the application that
	 * answers a rewritten request that no chain covers before that filter, say. A
	 * rewritten request that is not privileged is answered as it would be; one that is
	 * gets its challenge instead of the application's answer (and leaves the privilege
	 * grant of its original path, if any), or, with a maximum age of zero, claims the
	 * grant it is served with. A request answered with its status and headers only is
	 * judged once it was served; one answered past the response that judges spends the
	 * grant of its rewritten path all the same.
	 * @param root the exchange as the session's decision served it, whose response the
	 * starter's answer is written to
	 * @param exchange the exchange to serve the request with
	 * @param served serves the request with the exchange that judges
	 * @return the completion of the request
	 */
	Mono<Void> judgingRewriteOnAnswer(ServerWebExchange root, ServerWebExchange exchange,
			Function<ServerWebExchange, Mono<Void>> served) {
		if (!(root.getAttribute(DECIDED_PATH_ATTRIBUTE) instanceof DecidedPath decided)) {
			return served.apply(exchange);
		}
		RewriteJudgingResponse response = new RewriteJudgingResponse(root, decided, exchange.getResponse());
		ServerWebExchange judging = exchange.mutate()
			.request(new RewriteNotingRequest(exchange.getRequest(), root))
			.response(response)
			.build();
		return served.apply(judging)
			.onErrorResume((ex) -> judgedAfter(root, decided, true).then(Mono.error(ex)))
			.then(Mono.defer(() -> judgedAfter(root, decided, false)));
	}

	/**
	 * Judge the rewritten path of a request that no security filter chain covers once it
	 * was served, if nothing judged it while it was: a response that nothing committed
	 * yet is the challenge instead if its path needs one (without what the application's
	 * answer set of the headers), and one that something committed past the response that
	 * judges, or a request that failed, spends the grant of a maximum age of zero that
	 * the path needs whatever the store answers.
	 */
	private Mono<Void> judgedAfter(ServerWebExchange root, DecidedPath decided, boolean failed) {
		return judgedRewrite(root, decided, failed || root.getResponse().isCommitted(), NOTHING).then();
	}

	/**
	 * Judge the path that a web filter of the application last rewrote a request to, if
	 * nothing judged it so far (see {@link #unjudgedRewrite}).
	 * @param root the exchange whose response the starter's answer is written to
	 * @param decided the path that the session's decision judged
	 * @param answered whether the request failed or something answered it past the
	 * response that judges: then nothing can answer instead, and the grant of a maximum
	 * age of zero that the path needs is spent whatever the store answers
	 * @param unwritten releases the application's answer, which the starter's replaces
	 * @return whether the application's answer goes on, {@code false} if the starter
	 * answered the request
	 */
	private Mono<Boolean> judgedRewrite(ServerWebExchange root, DecidedPath decided, boolean answered,
			Runnable unwritten) {
		ServerHttpRequest rewritten = unjudgedRewrite(root);
		if (rewritten == null) {
			return Mono.just(true);
		}
		ServerWebExchange judged = root.mutate().request(rewritten).build();
		if (answered) {
			// Never left for another request: whatever answered used the grant
			return decided.again().decide(judged, false).onErrorResume((ex) -> Mono.empty()).thenReturn(true);
		}
		return judged(root, judged, decided, () -> {
			RewriteNotingRequest.withoutApplicationAnswer(root);
			unwritten.run();
		});
	}

	/**
	 * Return the request that a web filter of the application last rewrote a request to,
	 * if its path is a privileged one that neither the session's decision nor a filter of
	 * the starter's since judged (the request's path as each saw it), wherever it was
	 * rewritten; a request that a security filter chain of the starter's covers is left
	 * to that chain until it let the request through (the chain judges its path before
	 * its authorization, and what it answers before is a refusal).
	 */
	private @Nullable ServerHttpRequest unjudgedRewrite(ServerWebExchange root) {
		ServerHttpRequest rewritten = RewriteNotingRequest.rewritten(root);
		if ((root.getAttributes().containsKey(IN_CHAIN_ATTRIBUTE)
				&& !root.getAttributes().containsKey(PAST_CHAINS_ATTRIBUTE)) || rewritten == null
				|| !(root.getAttribute(JUDGED_PATHS_ATTRIBUTE) instanceof Set<?> judged)) {
			return null;
		}
		PathContainer path = rewritten.getPath().pathWithinApplication();
		return (!judged.contains(path.value()) && this.privilegedPaths.matches(path)) ? rewritten : null;
	}

	/**
	 * Judge a rewritten request by the rule of privileged paths, as {@link #decidedAgain}
	 * does, before anything answers it.
	 * @param root the exchange whose response the starter's answer is written to
	 * @param judged the exchange with the rewritten request
	 * @param decided the path that the session's decision judged
	 * @param beforeAnswer takes back what the application set of the response, before the
	 * starter answers instead
	 * @return whether the application's answer goes on, {@code false} if the starter
	 * answered the request
	 */
	private Mono<Boolean> judged(ServerWebExchange root, ServerWebExchange judged, DecidedPath decided,
			Runnable beforeAnswer) {
		judgedAt(root, judged.getRequest().getPath().pathWithinApplication());
		return decided.again()
			.decide(judged, false)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((challenge) -> {
				SessionDecision refused = challenge.orElse(null);
				if (refused == null || refused.reason() == null) {
					return Mono.just(true);
				}
				// Refused: the grant of the path it came with, if any, stays
				root.getAttributes().remove(GRANT_CLAIM_ATTRIBUTE);
				beforeAnswer.run();
				Duration required = (refused.maxAge() != null) ? refused.maxAge() : Duration.ZERO;
				return decided.served()
					.withdraw(this.clocks)
					.then(Mono.defer(() -> challenge(root, refused.reason(), required, List.of())))
					.thenReturn(false);
			})
			.onErrorResume(StoreFailures::isUnavailable, (ex) -> {
				root.getAttributes().remove(GRANT_CLAIM_ATTRIBUTE);
				beforeAnswer.run();
				return this.answers.unavailable(root).thenReturn(false);
			});
	}

	/**
	 * Claim the privilege grant of a request that no security filter chain of the
	 * starter's covers once it was served, if nothing claimed it while it was: a response
	 * that nothing committed yet is the challenge instead if the grant is gone (without
	 * what the application's answer set of the headers), and one that something committed
	 * past the response that claims, or a request that failed, spends the grant whatever
	 * the store answers.
	 */
	private Mono<Void> claimedAfter(ServerWebExchange exchange, GrantClaimingResponse response, boolean failed) {
		if (exchange.getAttributes().containsKey(IN_CHAIN_ATTRIBUTE)
				|| !(exchange.getAttributes().remove(GRANT_CLAIM_ATTRIBUTE) instanceof GrantClaim claim)) {
			return Mono.empty();
		}
		if (failed || exchange.getResponse().isCommitted()) {
			// Never left for another request: whatever answered used the grant
			return claim.claim(exchange).onErrorResume((ex) -> Mono.empty()).then();
		}
		return claimed(exchange, answeredPath(exchange), claim, Mono::empty, response::withoutApplicationHeaders);
	}

	/**
	 * Return the path of the request that the application answers: the one that a web
	 * filter of the application last rewrote it to, if any, else its own.
	 */
	private static PathContainer answeredPath(ServerWebExchange exchange) {
		ServerHttpRequest rewritten = RewriteNotingRequest.rewritten(exchange);
		ServerHttpRequest request = (rewritten != null) ? rewritten : exchange.getRequest();
		return request.getPath().pathWithinApplication();
	}

	/**
	 * Claim the privilege grant whose claim the session's decision left to the chain, now
	 * that the chain let the request through, then serve it: a grant that is gone
	 * (another request used it) gets the request challenged, naming the authentication
	 * context classes of privileged operations, as on servlet, and a store that does not
	 * answer the claim the {@code 503} of its outage. A request whose path a web filter
	 * of the application rewrote since to one that needs no privileged session is served
	 * without the grant, which stays for a request that needs it.
	 * @param path the path of the request as it is answered
	 */
	private Mono<Void> claimed(ServerWebExchange exchange, PathContainer path, GrantClaim claim,
			Supplier<Mono<Void>> served, Runnable beforeAnswer) {
		if (!this.privilegedPaths.matches(path)) {
			return served.get();
		}
		return claim.claim(exchange).onErrorResume(StoreFailures::isUnavailable, (ex) -> {
			beforeAnswer.run();
			return this.answers.unavailable(exchange).then(Mono.<Boolean>empty());
		}).flatMap((used) -> {
			if (used) {
				return served.get();
			}
			beforeAnswer.run();
			return challenge(exchange, ExpiryReason.PRIVILEGED, Duration.ZERO,
					this.authentication.privilegedAcrValues());
		});
	}

	/**
	 * Set the paths whose requests need a privileged session, or a recent enough token.
	 * @param privilegedPaths the paths
	 */
	public void setPrivilegedPaths(PathPatterns privilegedPaths) {
		this.privilegedPaths = privilegedPaths;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return filter(exchange, chain, true);
	}

	/**
	 * Answer a request's challenge, in a security filter chain before its authorization
	 * or, for a request that no chain covers, right after Spring Security's chains.
	 * @param inChain whether the filter is in a security filter chain, whose filter right
	 * after its authorization claims a privilege grant
	 */
	private Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain, boolean inChain) {
		Object pending = exchange.getAttributes().remove(PENDING_CHALLENGE_ATTRIBUTE);
		Object decidedPath = exchange.getAttributes().remove(DECIDED_PATH_ATTRIBUTE);
		ExpiryReason reason = (pending instanceof SessionDecision decision) ? decision.reason() : null;
		Duration maxAge = (pending instanceof SessionDecision decision) ? decision.maxAge() : null;
		PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
		if (decidedPath instanceof DecidedPath) {
			// Judged here by the path it has now: a rewrite to another path is judged
			// again before it is answered
			judgedAt(exchange, path);
		}
		if (!this.privilegedPaths.matches(path)) {
			// A privileged path rewritten to another one keeps the challenge that its
			// decision found: it is never served by the rewrite
			return decided(exchange, chain, reason, maxAge);
		}
		// A request that carries a token is decided by its token, even with a session,
		// and
		// one authenticated otherwise than as its session's user is refused
		return exchange.getSession()
			.map((session) -> Optional.ofNullable(userOf(ObservedWebSession.unwrap(exchange, session))))
			.defaultIfEmpty(Optional.empty())
			.flatMap((sessionUser) -> this.authentication.requestPrivileges(exchange, sessionUser.orElse(null))
				.map(Optional::of)
				.defaultIfEmpty(Optional.empty()))
			.flatMap((token) -> {
				if (token.isEmpty()) {
					if (decidedPath instanceof DecidedPath decided && !decided.path().equals(path.value())) {
						// A web filter of the application rewrote the path after the
						// session's decision, which served the request: the path that
						// the chain and the handler see is judged too
						return decidedAgain(exchange, chain, decided, reason, maxAge, inChain);
					}
					return decided(exchange, chain, reason, maxAge);
				}
				PrivilegedDecision decision = token.get();
				return decision.granted()
						? decided(exchange, chain, (reason != ExpiryReason.PRIVILEGED) ? reason : null, maxAge)
						: challenge(exchange, ExpiryReason.PRIVILEGED, decision.maxAge(), decision.acrValues());
			});
	}

	/**
	 * Decide the rule of privileged paths again for a request whose path was rewritten
	 * after its session's decision served it: a challenge is answered at once, and the
	 * activity that the decision recorded is taken back, as a privileged path challenged
	 * by the decision records none; a store that does not answer the claim of a privilege
	 * grant gets the {@code 503} of its outage. In a security filter chain, the claim of
	 * a privilege grant of a maximum age of zero is left to the filter right after its
	 * authorization: a request that the chain refuses spends no grant.
	 */
	private Mono<Void> decidedAgain(ServerWebExchange exchange, WebFilterChain chain, DecidedPath decided,
			@Nullable ExpiryReason reason, @Nullable Duration maxAge, boolean inChain) {
		return decided.again()
			.decide(exchange, inChain)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.onErrorResume(StoreFailures::isUnavailable,
					(ex) -> this.answers.unavailable(exchange).then(Mono.<Optional<SessionDecision>>empty()))
			.flatMap((challenge) -> {
				SessionDecision refused = challenge.orElse(null);
				if (refused == null || refused.reason() == null) {
					return decided(exchange, chain, reason, maxAge);
				}
				Duration required = (refused.maxAge() != null) ? refused.maxAge() : Duration.ZERO;
				return decided.served()
					.withdraw(this.clocks)
					.then(Mono.defer(() -> challenge(exchange, refused.reason(), required, List.of())));
			});
	}

	private @Nullable String userOf(WebSession session) {
		return this.authentication.nameOf(this.authentication.userOf(session));
	}

	private Mono<Void> decided(ServerWebExchange exchange, WebFilterChain chain, @Nullable ExpiryReason reason,
			@Nullable Duration maxAge) {
		if (reason == ExpiryReason.PRIVILEGED && maxAge != null) {
			return challenge(exchange, reason, maxAge, List.of());
		}
		// A due re-authentication is answered where the request is denied for lack of
		// the user: what the rules let an anonymous user do goes on without the user
		Duration reauthentication = (reason == ExpiryReason.REAUTHENTICATION) ? maxAge : null;
		// A failure of a method that method security guards is answered here even if
		// the application's own exception handling made something else of it: noted as
		// it happens, and answered as the response would be written
		ServerWebExchange answering = exchange.mutate()
			.response(new RefusalAnsweringResponse(exchange, reauthentication))
			.build();
		return chain.filter(answering).onErrorResume((ex) -> !exchange.getResponse().isCommitted(), (ex) -> {
			MethodRefusals.take(exchange);
			return answered(exchange, ex, reauthentication)
				.flatMap((answered) -> answered ? Mono.<Void>empty() : Mono.<Void>error(ex));
		}).contextWrite(MethodRefusals.noting(exchange));
	}

	/**
	 * Answer a failure that refused a request with the starter's answer, if it is one of
	 * the starter's: a refusal for want of the user while re-authentication is due, a
	 * refused privileged operation, a privilege grant whose claim the store did not
	 * answer.
	 * @return {@code true} if the request was answered, {@code false} if the failure is
	 * left to the application
	 */
	private Mono<Boolean> answered(ServerWebExchange exchange, Throwable ex, @Nullable Duration reauthentication) {
		if (reauthentication != null && this.authentication.isDenial(ex)) {
			// A request authenticated otherwise (HTTP Basic, a bearer token) gets
			// the application's own answer, as on servlet
			return this.authentication.isAuthenticatedOtherwise()
				.flatMap((otherwise) -> otherwise ? refused(exchange, ex)
						: challengeRefused(exchange, reauthentication).thenReturn(true));
		}
		return refused(exchange, ex);
	}

	/**
	 * Answer a refused privileged operation with its challenge, one whose privilege grant
	 * the store did not answer the claim of as the store's outage (a {@code 503}), and
	 * leave any other failure to the application.
	 */
	private Mono<Boolean> refused(ServerWebExchange exchange, Throwable ex) {
		if (PrivilegeGrantClaim.isUnanswered(exchange, ex)) {
			return this.answers.unavailable(exchange).thenReturn(true);
		}
		PrivilegedDecision refusal = this.authentication.privilegedRefusalOf(ex);
		return (refusal != null)
				? challenge(exchange, ExpiryReason.PRIVILEGED, refusal.maxAge(), refusal.acrValues()).thenReturn(true)
				: Mono.just(false);
	}

	/**
	 * Challenge a request refused for want of its user while re-authentication is due: it
	 * is no activity, as one the URL rules refuse is not.
	 */
	private Mono<Void> challengeRefused(ServerWebExchange exchange, Duration reauthentication) {
		Mono<Void> withdrawn = (exchange.getAttributes()
			.remove(SERVED_WITHOUT_USER_ATTRIBUTE) instanceof ServedWithoutUser served) ? served.withdraw(this.clocks)
					: Mono.empty();
		return withdrawn
			.then(Mono.defer(() -> challenge(exchange, ExpiryReason.REAUTHENTICATION, reauthentication, List.of())));
	}

	private Mono<Void> challenge(ServerWebExchange exchange, ExpiryReason reason, Duration maxAge,
			List<String> acrValues) {
		// A bearer token's refusal is its own: the session sent along neither records it
		// nor saves the request for its login, and the answer is the RFC 9470 challenge,
		// whatever the request accepts
		return this.authentication.isAuthenticatedByRequest()
			.flatMap((byRequest) -> byRequest ? this.answers.challengeClient(exchange, reason, maxAge, acrValues)
					: challengeSession(exchange, reason, maxAge, acrValues));
	}

	private Mono<Void> challengeSession(ServerWebExchange exchange, ExpiryReason reason, Duration maxAge,
			List<String> acrValues) {
		return exchange.getSession().flatMap((session) -> {
			WebSession stored = ObservedWebSession.unwrap(exchange, session);
			// Only a session of the starter's: a token's request starts none
			if (!stored.isStarted() || !SessionAttributes.hasState(stored::getAttribute)) {
				return this.answers.challenge(exchange, reason, maxAge, acrValues, null);
			}
			// Another user's session cookie carried along by an authentication of the
			// request's own (HTTP Basic, say) is not challenged for that refusal: the
			// request is answered as one without a session
			return this.authentication.isAuthenticatedAsAnotherUser(userOf(stored))
				.flatMap(
						(anotherUser) -> anotherUser ? this.answers.challenge(exchange, reason, maxAge, acrValues, null)
								: challengeSession(exchange, stored, reason, maxAge, acrValues));
		});
	}

	private Mono<Void> challengeSession(ServerWebExchange exchange, WebSession stored, ExpiryReason reason,
			Duration maxAge, List<String> acrValues) {
		this.clocks.recordChallenge(new WebSessionAccess(stored), reason, maxAge);
		// The user is hidden from the request, not from the session the store keeps
		String loginUrl = this.authentication.loginUrl(this.authentication.userOf(stored));
		Mono<Void> saved = ReactiveSessionAnswers.isBrowserNavigation(exchange)
				? this.authentication.saveRequest(exchange) : Mono.empty();
		return saved.then(Mono.defer(() -> this.answers.challenge(exchange, reason, maxAge, acrValues, loginUrl)));
	}

	/**
	 * The response of a request decided here, which answers, instead of what the
	 * application writes, a failure of a method that method security guards that is one
	 * of the starter's (a {@code @RequiresPrivilegedSession} refusal, a refusal for want
	 * of the user while re-authentication is due), whatever the application's exception
	 * handling made of it: as on servlet, where the starter answers it ahead of the
	 * application's exception handlers.
	 */
	private final class RefusalAnsweringResponse extends ServerHttpResponseDecorator {

		private final ServerWebExchange exchange;

		private final @Nullable Duration reauthentication;

		RefusalAnsweringResponse(ServerWebExchange exchange, @Nullable Duration reauthentication) {
			super(exchange.getResponse());
			this.exchange = exchange;
			this.reauthentication = reauthentication;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return answeredInstead().flatMap((answered) -> answered
					? Mono.fromRunnable(() -> UnwrittenBodies.release(body)) : super.writeWith(body));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return answeredInstead().flatMap((answered) -> answered
					? Mono.fromRunnable(() -> UnwrittenBodies.releaseAll(body)) : super.writeAndFlushWith(body));
		}

		@Override
		public Mono<Void> setComplete() {
			return answeredInstead().flatMap((answered) -> answered ? Mono.empty() : super.setComplete());
		}

		private Mono<Boolean> answeredInstead() {
			return Mono.defer(() -> {
				Throwable refusal = MethodRefusals.take(this.exchange);
				if (refusal == null || getDelegate().isCommitted()) {
					return Mono.just(false);
				}
				// What the application's answer set of the content goes if the starter
				// answers instead, and stays if it does not
				HttpHeaders headers = getDelegate().getHeaders();
				HttpHeaders applications = new HttpHeaders();
				applications.addAll(headers);
				headers.clearContentHeaders();
				return answered(this.exchange, refusal, this.reauthentication).doOnNext((answered) -> {
					if (!answered) {
						headers.clear();
						headers.addAll(applications);
					}
				});
			});
		}

	}

	/**
	 * The response of a request whose privilege grant the session's decision left to the
	 * chain to claim: the first answer claims it, if nothing did so far and no security
	 * filter chain of the starter's covers the request, and is replaced by the challenge
	 * if the grant is gone.
	 */
	private final class GrantClaimingResponse extends ServerHttpResponseDecorator {

		private final ServerWebExchange exchange;

		/**
		 * The response as the session's decision served the request.
		 */
		private final ResponseSnapshot decided;

		GrantClaimingResponse(ServerWebExchange exchange, ServerHttpResponse response) {
			super(response);
			this.exchange = exchange;
			this.decided = new ResponseSnapshot(exchange.getResponse());
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return claimedFirst(() -> super.writeWith(body), () -> UnwrittenBodies.release(body));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return claimedFirst(() -> super.writeAndFlushWith(body), () -> UnwrittenBodies.releaseAll(body));
		}

		@Override
		public Mono<Void> setComplete() {
			return claimedFirst(super::setComplete, NOTHING);
		}

		private Mono<Void> claimedFirst(Supplier<Mono<Void>> answer, Runnable unwritten) {
			return Mono.defer(() -> {
				if (this.exchange.getAttributes().containsKey(IN_CHAIN_ATTRIBUTE)
						|| !(this.exchange.getAttributes().remove(GRANT_CLAIM_ATTRIBUTE) instanceof GrantClaim claim)) {
					return answer.get();
				}
				return claimed(this.exchange, answeredPath(this.exchange), claim, answer, () -> {
					withoutApplicationHeaders();
					unwritten.run();
				});
			});
		}

		/**
		 * Take back the headers and cookies that were set since the session's decision
		 * served the request (what the application's answer set of them, its content and
		 * whatever else tells of it), as the starter answers instead.
		 */
		void withoutApplicationHeaders() {
			this.decided.restore(getDelegate());
		}

	}

	/**
	 * The response of a request that its session's decision served where privileged paths
	 * are configured: its first answer judges the path that a web filter of the
	 * application last rewrote the request to, if nothing judged that path so far and no
	 * security filter chain of the starter's is yet to judge it, and is replaced by the
	 * challenge if that path needs one.
	 */
	private final class RewriteJudgingResponse extends ServerHttpResponseDecorator {

		private final ServerWebExchange root;

		private final DecidedPath decided;

		RewriteJudgingResponse(ServerWebExchange root, DecidedPath decided, ServerHttpResponse response) {
			super(response);
			this.root = root;
			this.decided = decided;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			return judgedFirst(() -> super.writeWith(body), () -> UnwrittenBodies.release(body));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return judgedFirst(() -> super.writeAndFlushWith(body), () -> UnwrittenBodies.releaseAll(body));
		}

		@Override
		public Mono<Void> setComplete() {
			return judgedFirst(super::setComplete, NOTHING);
		}

		private Mono<Void> judgedFirst(Supplier<Mono<Void>> answer, Runnable unwritten) {
			return Mono.defer(() -> judgedRewrite(this.root, this.decided, false, unwritten)
				.flatMap((serve) -> serve ? answer.get() : Mono.empty()));
		}

	}

	/**
	 * A request served without its user, and the decision to serve it.
	 */
	private record ServedWithoutUser(WebSession session, SessionDecision decision, @Nullable WebSessionStore store) {

		/**
		 * Take back the activity that serving the request recorded, unless another
		 * request saved the session since: each request of Spring Session's stores holds
		 * a copy of its own, which would write over what the other saved. A store that
		 * does not answer leaves the activity.
		 */
		Mono<Void> withdraw(SessionClocks clocks) {
			WebSessionStore store = this.store;
			Mono<WebSession> saved = (store != null) ? store.retrieveSession(this.session.getId())
					: Mono.just(this.session);
			return saved.map(Optional::of)
				.defaultIfEmpty(Optional.empty())
				.doOnNext((found) -> clocks.withdrawActivity(new WebSessionAccess(this.session), this.decision,
						found.<SessionAttributeSource>map((held) -> held::getAttribute).orElse(null)))
				.onErrorResume((ex) -> Mono.empty())
				.then();
		}

	}

	/**
	 * The path on which the session's decision served a request, and how to decide the
	 * rule of privileged paths again.
	 */
	private record DecidedPath(String path, ServedWithoutUser served, PrivilegedPathAgain again) {
	}

	/**
	 * Decides the rule of privileged paths again, with the state that the session's
	 * decision found, for a request whose path was rewritten since.
	 */
	@FunctionalInterface
	interface PrivilegedPathAgain {

		/**
		 * Decide the request as it is now.
		 * @param exchange the exchange, with its path as the chain sees it
		 * @param claimDeferrable whether the claim of a privilege grant of a maximum age
		 * of zero may be left to the filter right after the chain's authorization
		 * @return the challenge, or empty to serve the request; an error if the store did
		 * not answer the claim of a privilege grant
		 */
		Mono<SessionDecision> decide(ServerWebExchange exchange, boolean claimDeferrable);

	}

	/**
	 * Claims the privilege grant that a privileged path with a maximum age of zero needs,
	 * once the security filter chain let the request through.
	 */
	@FunctionalInterface
	interface GrantClaim {

		/**
		 * Claim the grant.
		 * @param exchange the exchange, as authorized
		 * @return whether the request got the grant; an error if the store did not answer
		 */
		Mono<Boolean> claim(ServerWebExchange exchange);

	}

	/**
	 * Serves a request whose challenge was deferred once the chain's authorization let it
	 * through without its user.
	 */
	@FunctionalInterface
	interface WithoutUser {

		/**
		 * Serve the request.
		 * @param exchange the exchange, as authorized
		 * @param chain the rest of the chain
		 * @return completion
		 */
		Mono<Void> serve(ServerWebExchange exchange, WebFilterChain chain);

	}

	/**
	 * Serves a request whose challenge was deferred and that got through without its
	 * user: right after the authorization of a security filter chain, and, as a web
	 * filter of the application's own right after Spring Security's filter chains, a
	 * request that no security filter chain covers. The first of them to see the request
	 * serves it; a request that a chain refused or answered itself reaches neither.
	 */
	public static final class WithoutUserWebFilter implements WebFilter, Ordered {

		private final int order;

		private final @Nullable ReactiveSessionChallengeWebFilter owner;

		private final @Nullable ReactiveSessionChallengeWebFilter challenges;

		/**
		 * Create a new filter.
		 * @param order its order among the application's web filters
		 */
		public WithoutUserWebFilter(int order) {
			this(order, null, false);
		}

		private WithoutUserWebFilter(int order, @Nullable ReactiveSessionChallengeWebFilter owner,
				boolean afterChains) {
			this.order = order;
			this.owner = owner;
			this.challenges = afterChains ? owner : null;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
			ReactiveSessionChallengeWebFilter owner = this.owner;
			// The first of these filters to see the request claims its grant: right
			// after the chain's authorization, else after the chains
			if (owner != null && exchange.getAttributes().remove(GRANT_CLAIM_ATTRIBUTE) instanceof GrantClaim claim) {
				return owner.claimed(exchange, exchange.getRequest().getPath().pathWithinApplication(), claim,
						() -> proceed(exchange, chain), NOTHING);
			}
			return proceed(exchange, chain);
		}

		private Mono<Void> proceed(ServerWebExchange exchange, WebFilterChain chain) {
			Object withoutUser = exchange.getAttributes().remove(WITHOUT_USER_ATTRIBUTE);
			ReactiveSessionChallengeWebFilter challenges = this.challenges;
			if (challenges == null) {
				return serve(withoutUser, exchange, chain);
			}
			// Past Spring Security's chains: a rewrite from here on is judged before
			// it is answered, also where a chain covered the request
			exchange.getAttributes().put(PAST_CHAINS_ATTRIBUTE, Boolean.TRUE);
			if (exchange.getAttributes().containsKey(PENDING_CHALLENGE_ATTRIBUTE) || isRewritten(exchange)) {
				// No security filter chain with the challenge filter covered the request:
				// its challenge is answered here (a privileged path at once, also
				// one that the request's path was rewritten to after its session's
				// decision), and so is a refusal further down for want of its user
				return challenges.filter(exchange, (served) -> serve(withoutUser, noting(served), chain), false);
			}
			return serve(withoutUser, noting(exchange), chain);
		}

		/**
		 * Return the exchange that notes what a web filter of the application rewrites
		 * its request to, for a request whose response judges such a rewrite: Spring
		 * Security's filter chains build requests of their own, which note nothing.
		 */
		private static ServerWebExchange noting(ServerWebExchange exchange) {
			if (!exchange.getAttributes().containsKey(JUDGED_PATHS_ATTRIBUTE)) {
				return exchange;
			}
			return exchange.mutate().request(new RewriteNotingRequest(exchange.getRequest(), exchange)).build();
		}

		/**
		 * Return whether a web filter of the application rewrote the path of a request
		 * after its session's decision served it.
		 */
		private static boolean isRewritten(ServerWebExchange exchange) {
			return exchange.getAttribute(DECIDED_PATH_ATTRIBUTE) instanceof DecidedPath decided
					&& !decided.path().equals(exchange.getRequest().getPath().pathWithinApplication().value());
		}

		private static Mono<Void> serve(@Nullable Object withoutUser, ServerWebExchange exchange,
				WebFilterChain chain) {
			return (withoutUser instanceof WithoutUser served) ? served.serve(exchange, chain) : chain.filter(exchange);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

}
