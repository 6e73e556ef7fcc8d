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
package dev.sessiontimeout.internal.web;

import java.io.IOException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.GenericFilterBean;
import org.springframework.web.util.ContentCachingResponseWrapper;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionAttributes;
import dev.sessiontimeout.internal.session.SessionDecision;
import dev.sessiontimeout.internal.session.SessionState;
import dev.sessiontimeout.internal.session.StoreFailures;
import dev.sessiontimeout.internal.session.UserRevocations;
import dev.sessiontimeout.internal.session.SessionWatch;

/**
 * Asks the session clocks about every request, between Spring Session's
 * {@code SessionRepositoryFilter} (so it sees the stored session) and Spring Security (so
 * no ended session reaches it), and answers as they decide: a request whose session ended
 * gets the reason, one whose user must authenticate again is challenged (inside Spring
 * Security's filter chain, after its authorization, where that chain answers challenges),
 * anything else proceeds, and sessions created further down start their clocks at their
 * creation (or, for a request let through without this filter's wrappers, on the way out,
 * see {@link #setWatchStreamedResponses(boolean)}).
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionClocks
 */
public class SessionTimeoutFilter extends GenericFilterBean {

	/**
	 * The default order: just after Spring Session's {@code SessionRepositoryFilter}
	 * ({@code Integer.MIN_VALUE + 50}), well before Spring Security ({@code -100}). Where
	 * {@code spring.session.servlet.filter-order} moves Spring Session's filter, the
	 * auto-configured registration follows it by 10, and startup fails unless that is
	 * still before Spring Security's filter chain.
	 */
	public static final int DEFAULT_ORDER = Integer.MIN_VALUE + 60;

	private final ServletSessionClocks clocks;

	private final ServletSessionAnswers answers;

	private final ServedRequests served;

	private boolean watchStreamedResponses = true;

	/**
	 * Create a new filter.
	 * @param clocks the session clocks of servlet requests
	 * @param answers answers requests whose session ended or must authenticate again
	 */
	public SessionTimeoutFilter(ServletSessionClocks clocks, ServletSessionAnswers answers) {
		Assert.notNull(clocks, "'clocks' must not be null");
		Assert.notNull(answers, "'answers' must not be null");
		this.clocks = clocks;
		this.answers = answers;
		this.served = new ServedRequests(clocks);
	}

	/**
	 * Set whether what a request that went asynchronous writes later (server-sent events,
	 * a streamed body, a servlet's own asynchronous writes) is checked against its
	 * session before each write. Without it, the chain gets the response as this filter
	 * got it and, for a session whose clocks run and whose user keeps their
	 * authentication, the request too, so that such a response is decided once, at its
	 * start, and nothing of this filter lies between the application and Spring Session.
	 * The asynchronous dispatch of a request (a deferred result, say) is checked against
	 * its session either way. Default is {@code true}.
	 * @param watchStreamedResponses whether to watch every write of a response that
	 * outlives its request's own dispatch
	 */
	public void setWatchStreamedResponses(boolean watchStreamedResponses) {
		this.watchStreamedResponses = watchStreamedResponses;
	}

	/**
	 * Decide on a request in its own dispatch, check the asynchronous dispatch of a
	 * request that went asynchronous (a deferred result, say) against its session again,
	 * give the error dispatch of a request that runs unauthenticated because its user
	 * must authenticate again (the application's error page) the session as the request
	 * sees it, without that user, and let any other dispatch through (a forward or
	 * include gets the request as its own dispatch has it, with this filter's wrapper). A
	 * login recorded in any of these dispatches is indexed, and reads its user's
	 * revocations again, as the dispatch that recorded it ends. Unlike an
	 * {@code OncePerRequestFilter}, it needs no request attribute to tell them apart, and
	 * it must be registered for these dispatches ({@code DispatcherType.REQUEST},
	 * {@code ASYNC} and {@code ERROR}), as the auto-configuration does: a registration of
	 * one's own must set them.
	 */
	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			chain.doFilter(request, response);
			return;
		}
		DispatcherType dispatcherType = httpRequest.getDispatcherType();
		if (dispatcherType != DispatcherType.REQUEST && dispatcherType != DispatcherType.ASYNC
				&& dispatcherType != DispatcherType.ERROR) {
			// A forward or an include, within a dispatch that ends it
			chain.doFilter(request, response);
			return;
		}
		try {
			if (dispatcherType == DispatcherType.REQUEST) {
				doFilterRequest(httpRequest, httpResponse, chain);
			}
			else if (dispatcherType == DispatcherType.ASYNC) {
				doFilterLaterDispatch(httpRequest, httpResponse, chain, this::checkAndFilterAsyncDispatch);
			}
			else {
				doFilterLaterDispatch(httpRequest, httpResponse, chain, this::filterErrorDispatch);
			}
		}
		finally {
			// A revocation this dispatch recorded before a sign-in of its own (a password
			// reset's) is nothing to a later request the container runs on this thread
			UserRevocations.forgetRecordedOnThisThread();
		}
	}

	private void doFilterRequest(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The response that the chain writes: watched once the clocks decide to serve
		// the session, written through until then; the request is exposed with it, from
		// the session's lookup on
		WatchedResponse watched = this.watchStreamedResponses ? new WatchedResponse(response) : null;
		SessionTimeoutRequestWrapper wrapped = new SessionTimeoutRequestWrapper(request, response, watched);
		boolean exposeRequest = RequestContextHolder.getRequestAttributes() == null;
		if (exposeRequest) {
			RequestContextHolder
				.setRequestAttributes(new ServletRequestAttributes(wrapped, (watched != null) ? watched : response));
		}
		// Exposed until the request's end is done too: a policy override that a user's
		// sign-in is resolved by may read it (followSignIn)
		try {
			filterAndEnd(request, response, chain, wrapped, watched);
		}
		finally {
			if (exposeRequest) {
				RequestContextHolder.resetRequestAttributes();
			}
		}
	}

	private void filterAndEnd(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			SessionTimeoutRequestWrapper wrapped, @Nullable WatchedResponse watched)
			throws ServletException, IOException {
		try {
			decideAndFilter(request, response, chain, wrapped, watched);
		}
		catch (Throwable ex) {
			try {
				wrapped.rememberIfInvalidated();
				wrapped.rememberIfSignedOut();
				wrapped.indexIfRenamed();
				wrapped.indexIfSwitched();
				this.clocks.indexIfRefiled(request);
				wrapped.followSignIn();
			}
			catch (RuntimeException failure) {
				ex.addSuppressed(failure);
			}
			indexSavedAfterFailure(request, ex);
			throw ex;
		}
		finally {
			ServletSessionAnswers.dropUnservedSession(request);
			keepIfRevokedMeanwhile(request);
		}
		// A session that the application invalidated (a logout) is ended again if a
		// request that loaded it before saves its copy after (Spring Session's map)
		wrapped.rememberIfInvalidated();
		// So is a copy, signed in, of a session whose user signed out of it without its
		// invalidation (a logout that keeps the session)
		wrapped.rememberIfSignedOut();
		// A session whose id the application changed is found by its user under the new
		// id (Spring Session's map and Redis default repositories, whose index the
		// starter keeps)
		wrapped.indexIfRenamed();
		// A session in which its user switched to another (SwitchUserFilter, which keeps
		// the session id) is indexed under both users, at once
		wrapped.indexIfSwitched();
		// A session the application filed in its store's own index under another name
		// than its user's (an email address) is indexed under its user too, which the
		// store does not find it under
		this.clocks.indexIfRefiled(request);
		// A session its user signed in with, without a login the clocks recorded (the
		// application saved the security context itself), gets the policy of the user's
		// authentication now, not at its next request: the store keeps it as that
		// policy does from now on
		wrapped.followSignIn();
		// A session its user signed in with is indexed again as Spring Session saves it,
		// however long after the login that is, and saved first (the response
		// committed) if its login is to read its user's revocations again
		this.clocks.indexSaved(request, response);
	}

	/**
	 * Keep the container session of a request that was revoked while the request ran no
	 * longer than its revocation meant to: the container counts its interval on from the
	 * end of the request, after all its dispatches, each of which calls this as it ends.
	 * Spring Session's sessions are kept as their revocation saved them.
	 */
	private void keepIfRevokedMeanwhile(HttpServletRequest request) {
		if (SpringSessionRequests.servesSessions(request)) {
			return;
		}
		try {
			HttpSession session = request.getSession(false);
			if (session != null) {
				this.clocks.keepIfRevoked(session);
			}
		}
		catch (IllegalStateException ex) {
			// Invalidated: gone
		}
	}

	private void decideAndFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			SessionTimeoutRequestWrapper wrapped, @Nullable WatchedResponse watched)
			throws ServletException, IOException {
		HttpSession session;
		SessionDecision decision;
		try {
			session = request.getSession(false);
			decision = (session == null) ? decideWithoutSession(request) : null;
		}
		catch (RuntimeException ex) {
			if (!StoreFailures.isUnavailable(ex)) {
				ServletSessionAnswers.notServed(request);
				throw ex;
			}
			// The store did not answer: fail closed, at once, and once
			this.answers.answerUnavailable(request, response, ex);
			return;
		}
		DecidedSession decided = null;
		if (session != null) {
			decided = this.clocks.decidedSession(session);
			try {
				decision = this.clocks.decide(request, response, session, decided);
			}
			catch (RuntimeException ex) {
				if (!StoreFailures.isUnavailable(ex)) {
					// A decision that fails (a policy override of the application, say)
					// serves nothing: the container answers the failure
					ServletSessionAnswers.notServed(request);
					throw ex;
				}
				// The store did not answer what the decision asked of it (the claim of a
				// privilege grant, say): fail closed, as at the lookup
				this.answers.answerUnavailable(request, response, ex);
				return;
			}
			wrapped.decided(session, decided, decision);
		}
		ExpiryReason reason = (decision != null) ? decision.reason() : null;
		if (reason != null && !this.clocks.isExpiredPage(request)) {
			if (reason.isEnding()) {
				this.answers.answerEnded(request, wrapped, response, reason);
				return;
			}
			if (!this.answers.answersChallenges(request)) {
				this.answers.challenge(request, response, reason, decision.maxAge());
				return;
			}
			this.answers.deferChallenge(request, decision);
		}
		else if (session != null && decision != null) {
			HttpSession served;
			try {
				this.clocks.served(session, decision, decided);
				served = this.served.sessionToServe(request, session, decision);
				wrapped.serve(served, session);
				if (watched != null) {
					this.served.watch(watched, session, decision, served, decided);
				}
			}
			catch (RuntimeException ex) {
				if (!(ex instanceof IllegalStateException) || !isInvalidated(session)) {
					ServletSessionAnswers.notServed(request);
					throw ex;
				}
				// A concurrent request of the same container session ended it since
				// it was decided: answer as that request did, never serve it
				this.answers.answerEnded(request, wrapped, response, this.clocks.unknownSessionReason(request));
				return;
			}
			if (watched == null) {
				filterUnwatched(request, response, chain, (served != session) ? wrapped : null, session, decision);
				return;
			}
		}
		try {
			chain.doFilter(wrapped, (watched != null) ? watched : response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			if (answeredUnansweredClaim(request, response, watched, ex)) {
				return;
			}
			throw ex;
		}
		if (watched == null && request.isAsyncStarted()) {
			// Without a session to serve: one the application created may still end
			// before the asynchronous dispatch
			wrapped.watchCreatedDispatches();
		}
	}

	/**
	 * Let a request whose session the clocks decided to serve through without watching
	 * what its response writes later: with the request as this filter got it if the
	 * application gets the session as it is, and with this filter's wrapper if it gets it
	 * without the authentication of a user who must authenticate again. What the wrapper
	 * does when the application creates a session is done on the way out, before Spring
	 * Session's last save of the request's session, and a request that went asynchronous
	 * keeps a watch for its asynchronous dispatch.
	 */
	private void filterUnwatched(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			@Nullable SessionTimeoutRequestWrapper wrapped, HttpSession session, SessionDecision decision)
			throws ServletException, IOException {
		try {
			chain.doFilter((wrapped != null) ? wrapped : request, response);
		}
		catch (Throwable ex) {
			if (answeredUnansweredClaim(request, response, null, ex)) {
				return;
			}
			try {
				afterUnwatched(request, response, wrapped, session, decision);
			}
			catch (RuntimeException failure) {
				ex.addSuppressed(failure);
			}
			throw ex;
		}
		afterUnwatched(request, response, wrapped, session, decision);
	}

	/**
	 * Give a session that a request created, as the request ends, the policy of its
	 * user's authentication, if its authentication attribute holds something (one read):
	 * a user the application signed in without a login the clocks recorded
	 * ({@link ServletSessionClocks#followSignIn}).
	 */
	private void followSignInOfCreated(HttpServletRequest request, HttpServletResponse response, HttpSession created) {
		Object authentication;
		try {
			authentication = this.clocks.authenticationAttributeOf(created);
		}
		catch (IllegalStateException ex) {
			// Invalidated further down: nothing to follow
			return;
		}
		if (authentication != null) {
			this.clocks.followSignIn(request, response, created, null);
		}
	}

	/**
	 * Answer a request that failed further down because its session store did not answer
	 * what the decision of a privileged operation asked of it (the claim of its session's
	 * privilege grant, or, on another thread, the look at its session) as the store's
	 * outage.
	 * @return whether it did; any other failure is the caller's to throw
	 */
	private boolean answeredUnansweredClaim(HttpServletRequest request, HttpServletResponse response,
			@Nullable WatchedResponse watched, Throwable ex) throws IOException {
		if (!(ex instanceof Exception failure) || !ServletSessionClocks.isPrivilegedDecisionUnanswered(request, ex)
				|| response.isCommitted()) {
			return false;
		}
		response.resetBuffer();
		WatchedResponse.answer((watched != null) ? watched : response);
		this.answers.answerUnavailable(request, response, failure);
		return true;
	}

	private void afterUnwatched(HttpServletRequest request, HttpServletResponse response,
			@Nullable SessionTimeoutRequestWrapper wrapped, HttpSession session, SessionDecision decision) {
		HttpSession current = (wrapped == null) ? request.getSession(false) : null;
		SessionState created = null;
		if (current != null && current != session) {
			// Created further down, after the application ended the session it was
			// served: its clocks start now, before Spring Session's last save of it
			try {
				if (!SessionAttributes.hasState(current::getAttribute)) {
					created = this.clocks.start(request, response, current);
				}
			}
			catch (IllegalStateException ex) {
				// Ended again by a concurrent request of the same container session
			}
			if (created != null) {
				// Signed in by the application itself, without a login the clocks
				// recorded, it follows its user's policy from now on
				followSignInOfCreated(request, response, current);
			}
		}
		if (request.isAsyncStarted()) {
			// Its asynchronous dispatch belongs to the session it has now
			if (current != null && created != null) {
				this.served.watchDispatches(request, current, created, null);
			}
			else if (wrapped == null || !wrapped.watchCreatedDispatches()) {
				this.served.watchDispatches(request, session, decision);
			}
		}
	}

	/**
	 * Filter a later dispatch of a request (its asynchronous one, its error page's), then
	 * end it as the request's own dispatch ends, whether it returns or fails: the copy of
	 * a session that the starter did not serve is not saved, a container session revoked
	 * meanwhile is kept no longer than its revocation meant (the container counts its
	 * interval on from the end of the request, after its later dispatches), and a login
	 * recorded in this dispatch is indexed and reads its user's revocations again.
	 */
	private void doFilterLaterDispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			LaterDispatch dispatch) throws ServletException, IOException {
		try {
			dispatch.filter(request, response, chain);
		}
		catch (Throwable ex) {
			indexSavedAfterFailure(request, ex);
			throw ex;
		}
		finally {
			ServletSessionAnswers.dropUnservedSession(request);
			keepIfRevokedMeanwhile(request);
		}
		// A login recorded in this dispatch, as in the request's own
		this.clocks.indexSaved(request, response);
	}

	/**
	 * Let the asynchronous dispatch of a watched response through only while its session
	 * serves it: otherwise answer it as a request of the ended session, or with the
	 * re-authentication challenge, or, if the response is already committed, write
	 * nothing more.
	 */
	private void checkAndFilterAsyncDispatch(HttpServletRequest request, HttpServletResponse response,
			FilterChain chain) throws ServletException, IOException {
		SessionWatch watch = ServedRequests.watchOf(request);
		ExpiryReason reason;
		try {
			reason = (watch != null) ? watch.checkNow() : null;
		}
		catch (RuntimeException ex) {
			if (!StoreFailures.isUnavailable(ex)) {
				throw ex;
			}
			// The store did not answer the look at the session: fail closed, as a
			// request of an outage, or write nothing more
			if (!response.isCommitted()) {
				WatchedResponse.answer(response);
				this.answers.answerUnavailable(request, response, ex);
			}
			return;
		}
		if (reason == null) {
			try {
				chain.doFilter(dispatchedRequest(request, response), response);
			}
			catch (IOException | ServletException | RuntimeException ex) {
				// A privileged operation whose store did not answer (on another thread,
				// where the request's result came from)
				if (!answeredUnansweredClaim(request, response, null, ex)) {
					throw ex;
				}
			}
		}
		else if (!response.isCommitted()) {
			WatchedResponse.answer(response);
			if (reason.isEnding()) {
				this.answers.answerEnded(request, request, response, reason);
			}
			else {
				this.answers.challenge(request, response, reason, watch.reauthentication());
			}
		}
	}

	/**
	 * Let the error dispatch of a request through as the application sees the request:
	 * the container dispatches its own request object to the error page, not this
	 * filter's wrapper, so that without it Spring Security, which runs on error
	 * dispatches too, would load the user that a request running unauthenticated hides. A
	 * request that runs with its user's authentication goes on as it came, at the cost of
	 * a look at one request attribute, and a few more as it ends
	 * ({@link #doFilterLaterDispatch}): for a login recorded in this dispatch (Spring
	 * Security's remember-me on the error page of a request that its firewall rejected,
	 * say), and, on the container's own sessions, for a revocation while the page ran.
	 */
	private void filterErrorDispatch(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!ServletSessionAnswers.isNotServed(request)) {
			chain.doFilter(dispatchedRequest(request, response), response);
			return;
		}
		// The error page of a request whose decision failed: Spring Session looks the
		// session up again for this dispatch, and saves its copy, with this request as
		// its last access, as the response commits. The page is written to a buffer,
		// and the response committed once the copy is dropped (a page that sends an
		// error or a redirect itself commits it before, and the copy is saved)
		ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
		try {
			chain.doFilter(dispatchedRequest(request, buffered), buffered);
		}
		finally {
			ServletSessionAnswers.dropUnservedSession(request);
		}
		buffered.copyBodyToResponse();
	}

	/**
	 * Index the session of a login recorded in a dispatch that failed (the request's own,
	 * its error page's, its asynchronous one), and read its user's revocations again, as
	 * one that returns does ({@link ServletSessionClocks#indexSaved}), without committing
	 * the response, which the container answers.
	 */
	private void indexSavedAfterFailure(HttpServletRequest request, Throwable ex) {
		try {
			this.clocks.indexSaved(request, null);
		}
		catch (RuntimeException failure) {
			ex.addSuppressed(failure);
		}
	}

	/**
	 * Return the request of a later dispatch (asynchronous, error) as the application
	 * sees it: a request that ran unauthenticated because its user must authenticate
	 * again still does, although Spring Session and the container hand that dispatch the
	 * session itself.
	 */
	private HttpServletRequest dispatchedRequest(HttpServletRequest request, HttpServletResponse response) {
		HttpSession session = (ServletSessionClocks.reauthenticationPending(request) != null)
				? request.getSession(false) : null;
		if (session == null) {
			return request;
		}
		SessionTimeoutRequestWrapper wrapped = new SessionTimeoutRequestWrapper(request, response, null);
		wrapped.serve(this.served.sessionToServeAgain(request, session), null);
		return wrapped;
	}

	/**
	 * What a later dispatch of a request does before it ends
	 * ({@link #doFilterLaterDispatch}).
	 */
	@FunctionalInterface
	private interface LaterDispatch {

		void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException;

	}

	private static boolean isInvalidated(HttpSession session) {
		try {
			session.getCreationTime();
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
	}

	private @Nullable SessionDecision decideWithoutSession(HttpServletRequest request) {
		if (request.getRequestedSessionId() == null || request.isRequestedSessionIdValid()) {
			return null;
		}
		return new SessionDecision(this.clocks.unknownSessionReason(request), null);
	}

	/**
	 * Starts the clocks of every session created further down the chain, at its creation.
	 */
	private final class SessionTimeoutRequestWrapper extends HttpServletRequestWrapper {

		private final HttpServletResponse response;

		private @Nullable HttpSession served;

		private @Nullable HttpSession started;

		private @Nullable HttpSession created;

		private @Nullable SessionState createdState;

		private final @Nullable WatchedResponse watched;

		private @Nullable HttpSession decided;

		private @Nullable String decidedId;

		private @Nullable Object decidedAuthentication;

		private boolean signedInAtDecision;

		private @Nullable SessionDecision decision;

		private boolean signedOut;

		private boolean authenticationRead;

		private @Nullable Object authentication;

		SessionTimeoutRequestWrapper(HttpServletRequest request, HttpServletResponse response,
				@Nullable WatchedResponse watched) {
			super(request);
			this.response = response;
			this.watched = watched;
		}

		/**
		 * Remember the session the clocks decided on, with its id, the authentication it
		 * held at that time, as the decision read it, and the decision.
		 * @param session the session
		 * @param decided the session as the decision read it
		 * @param decision the decision
		 */
		void decided(HttpSession session, DecidedSession decided, SessionDecision decision) {
			try {
				this.decidedId = session.getId();
				this.decided = session;
				this.decision = decision;
				this.decidedAuthentication = decided.authentication();
				// Read now: a logout empties the security context that a container
				// session shares with the request
				this.signedInAtDecision = this.decidedAuthentication != null
						&& SessionTimeoutFilter.this.clocks.authenticationSupport()
							.isAuthenticated(session, this.decidedAuthentication);
			}
			catch (IllegalStateException ex) {
				// Invalidated by a concurrent request of the same container session
			}
		}

		/**
		 * Remember the session the clocks decided on and did not end as ended, if the
		 * application invalidated it (a logout; a change of its id is none), where its
		 * store saves whole copies of a session: a request that loaded it before saves
		 * its copy after, and the clocks end that copy at its next request.
		 */
		void rememberIfInvalidated() {
			HttpSession decided = this.decided;
			String decidedId = this.decidedId;
			SessionDecision decision = this.decision;
			ExpiryReason reason = (decision != null) ? decision.reason() : null;
			if (decided != null && decidedId != null && decision != null && (reason == null || !reason.isEnding())
					&& isInvalidated(decided)) {
				SessionTimeoutFilter.this.clocks.getClocks().invalidated(decidedId, decision.state());
			}
		}

		/**
		 * Tell the clocks if the user of the session they decided on and did not end
		 * signed out of it without its invalidation (a logout that keeps the session),
		 * where its store saves whole copies of a session: a request that loaded it
		 * signed in before saves its copy after, and the clocks end that copy at its next
		 * request.
		 */
		void rememberIfSignedOut() {
			HttpSession decided = this.decided;
			String decidedId = this.decidedId;
			SessionDecision decision = this.decision;
			ExpiryReason reason = (decision != null) ? decision.reason() : null;
			if (decided == null || decidedId == null || decision == null || (reason != null && reason.isEnding())
					|| this.decidedAuthentication == null) {
				return;
			}
			if (!readAuthenticationAtEnd(decided)) {
				// Invalidated further down: remembered as such
				return;
			}
			this.signedOut = SessionTimeoutFilter.this.clocks.rememberIfSignedOut(decided, decidedId,
					this.signedInAtDecision, this.authentication, decision);
		}

		/**
		 * Read what the session the clocks decided on holds as its authentication at the
		 * request's end into {@code authentication}, once for all that compares it with
		 * the decision's.
		 * @return {@code false} if the session is invalidated
		 */
		private boolean readAuthenticationAtEnd(HttpSession decided) {
			if (!this.authenticationRead) {
				try {
					this.authentication = SessionTimeoutFilter.this.clocks.authenticationAttributeOf(decided);
				}
				catch (IllegalStateException ex) {
					return false;
				}
				this.authenticationRead = true;
			}
			return true;
		}

		/**
		 * Index the session the clocks decided on under its new id, if the application
		 * changed it.
		 */
		void indexIfRenamed() {
			HttpSession decided = this.decided;
			String decidedId = this.decidedId;
			if (decided != null && decidedId != null) {
				SessionTimeoutFilter.this.clocks.indexIfRenamed((HttpServletRequest) getRequest(), decided, decidedId,
						this.signedOut);
			}
		}

		/**
		 * Index the session the clocks decided on under the users who switched to its
		 * user, if the request switched it to another user.
		 */
		void indexIfSwitched() {
			HttpSession decided = this.decided;
			if (decided == null) {
				return;
			}
			if (!readAuthenticationAtEnd(decided)) {
				// Invalidated further down: nothing to find any more
				return;
			}
			SessionTimeoutFilter.this.clocks.indexIfSwitched(decided, this.decidedAuthentication, this.authentication);
		}

		/**
		 * Give the session the policy of its user's authentication at once, if a user
		 * signed in with the request without a login the clocks recorded: the session the
		 * clocks decided on, if the request replaced what its authentication attribute
		 * held with something (read at the request's end already), or the one the request
		 * created, if that attribute holds something (one read). A request that left its
		 * session's authentication as it found it pays nothing more.
		 */
		void followSignIn() {
			HttpSession decided = this.decided;
			if (decided != null && this.authenticationRead && this.authentication != null
					&& this.authentication != this.decidedAuthentication) {
				SessionState state = (this.decision != null) ? this.decision.state() : null;
				SessionTimeoutFilter.this.clocks.followSignIn((HttpServletRequest) getRequest(), this.response, decided,
						(state != null) ? state.readAt() : null);
			}
			HttpSession created = this.created;
			if (created != null && created != decided) {
				followSignInOfCreated((HttpServletRequest) getRequest(), this.response, created);
			}
		}

		/**
		 * Give the application the session as the clocks decided to serve it.
		 * @param served the session to give the application
		 * @param running the session whose clocks the decision found running, if any,
		 * which needs no look at its attributes when the application asks for it again
		 */
		void serve(HttpSession served, @Nullable HttpSession running) {
			this.served = served;
			this.started = running;
		}

		@Override
		public @Nullable HttpSession getSession(boolean create) {
			HttpSession session = super.getSession(create);
			if (session != null && session != this.started) {
				// A session this request has not seen running: one created further down,
				// or the request's own asked for again after a concurrent invalidation
				boolean started;
				try {
					started = SessionAttributes.hasState(session::getAttribute);
				}
				catch (IllegalStateException ex) {
					// Invalidated by a concurrent request of the same container session
					// since it was looked up: the request has none now, or a new one
					return create ? getSession(true) : null;
				}
				if (!started) {
					SessionState state = SessionTimeoutFilter.this.clocks.start(this, this.response, session);
					this.created = session;
					this.createdState = state;
					WatchedResponse watched = this.watched;
					if (watched != null) {
						// What the response writes later belongs to this session now
						SessionTimeoutFilter.this.served.watch(this, watched, session, state, null);
					}
				}
				this.started = session;
			}
			HttpSession served = this.served;
			if (session != null && served instanceof ReauthenticationPendingSession pending
					&& pending.getSession().getId().equals(session.getId())) {
				return pending;
			}
			return session;
		}

		@Override
		public HttpSession getSession() {
			return getSession(true);
		}

		/**
		 * Keep a watch for the asynchronous dispatch of a request without a watched
		 * response on the session whose clocks this wrapper started, if any.
		 * @return whether it did
		 */
		boolean watchCreatedDispatches() {
			HttpSession created = this.created;
			SessionState state = this.createdState;
			if (created == null || state == null) {
				return false;
			}
			SessionTimeoutFilter.this.served.watchDispatches(this, created, state, null);
			return true;
		}

		/**
		 * Start asynchronous processing with this request and the watched response, not
		 * the container's own objects, so that what the application writes later is
		 * watched too.
		 */
		@Override
		public AsyncContext startAsync() {
			WatchedResponse watched = this.watched;
			AsyncContext context = (watched != null && watched.isWatched()) ? super.startAsync(this, watched)
					: super.startAsync();
			startWatching(context);
			return context;
		}

		@Override
		public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
			AsyncContext context = super.startAsync(request, response);
			startWatching(context);
			return context;
		}

		private void startWatching(AsyncContext context) {
			WatchedResponse watched = this.watched;
			if (watched != null) {
				ServedRequests.startWatching(this, watched, context);
			}
		}

	}

}
