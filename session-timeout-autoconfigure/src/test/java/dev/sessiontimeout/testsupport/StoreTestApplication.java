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
package dev.sessiontimeout.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import javax.sql.DataSource;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.BasicPolymorphicTypeValidator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;
import org.springframework.context.event.EventListener;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.serializer.GenericJacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.concurrent.DelegatingSecurityContextExecutor;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.switchuser.SwitchUserFilter;
import org.springframework.security.web.authentication.rememberme.InMemoryTokenRepositoryImpl;
import org.springframework.security.web.authentication.rememberme.JdbcTokenRepositoryImpl;
import org.springframework.security.web.authentication.rememberme.PersistentRememberMeToken;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.security.web.authentication.session.SessionAuthenticationException;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.DeferredResult;

import dev.sessiontimeout.internal.web.HttpSessionAccess;
import dev.sessiontimeout.internal.policy.SessionTimeline;
import dev.sessiontimeout.RequiresPrivilegedSession;
import dev.sessiontimeout.SessionPolicyOverride;
import dev.sessiontimeout.UserSessions;
import dev.sessiontimeout.SessionStepUpEvent;
import dev.sessiontimeout.SessionTimeouts;
import dev.sessiontimeout.SessionTimeoutEvent;
import dev.sessiontimeout.internal.session.SessionAttributes;

/**
 * The application every store test runs: form login, an HTML page and a JSON endpoint
 * behind it, and a shiftable {@code sessionTimeoutClock}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
public class StoreTestApplication {

	/**
	 * The header a login sends from a device the application does not know.
	 */
	public static final String UNKNOWN_DEVICE_HEADER = "X-Unknown-Device";

	/**
	 * The header of a request whose policy override fails (the application's device
	 * registry is down): the decision that asks it fails the request.
	 */
	public static final String FAILING_OVERRIDE_HEADER = "X-Registry-Down";

	/**
	 * Where an administrator switches to another user (Spring Security's
	 * {@link SwitchUserFilter}), with a POST of that user's {@code username}.
	 */
	public static final String SWITCH_USER_PATH = "/impersonate";

	/**
	 * A request that fails with {@code 503}, whose error page the application holds until
	 * the test releases it ({@link Holds}).
	 */
	public static final String HELD_ERROR_PAGE_PATH = "/api/hold-error-page";

	/**
	 * Runs {@code @Async} methods with the security context of their caller, the way
	 * Spring Boot applications pass it on: a {@link TaskDecorator} for the
	 * auto-configured executor.
	 * @return the decorator
	 */
	@Bean
	TaskDecorator securityContextPropagation() {
		return DelegatingSecurityContextRunnable::new;
	}

	/**
	 * A login from an unknown device gets a privileged age of two minutes, which only its
	 * session knows: its user's authorities choose a longer one. A request with
	 * {@link #FAILING_OVERRIDE_HEADER} fails the override.
	 * @return the override
	 */
	@Bean
	SessionPolicyOverride unknownDevices() {
		return (policy, authentication, request) -> {
			if (request.getHeader(FAILING_OVERRIDE_HEADER) != null) {
				throw new IllegalStateException("The device registry is down");
			}
			return (request.getHeader(UNKNOWN_DEVICE_HEADER) != null)
					? policy.withName(policy.name() + "-unknown-device").withPrivilegedMaxAge(Duration.ofMinutes(2))
					: policy;
		};
	}

	@Bean
	AsyncTransfers asyncTransfers(Transfers transfers) {
		return new AsyncTransfers(transfers);
	}

	@Bean
	MutableClock sessionTimeoutClock() {
		return new MutableClock();
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, PersistentTokenRepository rememberMeTokens,
			InMemoryUserDetailsManager users) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/login", "/error", "/session/status", "/actuator/**", "/test/**")
			.permitAll()
			.requestMatchers(SWITCH_USER_PATH)
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated());
		http.formLogin((form) -> form.loginPage("/login"));
		http.rememberMe((rememberMe) -> rememberMe.tokenRepository(rememberMeTokens).userDetailsService(users));
		http.csrf((csrf) -> csrf.disable());
		// An administrator impersonates a customer: a POST with the customer's name
		SwitchUserFilter switchUser = new SwitchUserFilter();
		switchUser.setUserDetailsService(users);
		switchUser.setSwitchUserUrl(SWITCH_USER_PATH);
		switchUser.setTargetUrl("/home");
		switchUser.afterPropertiesSet();
		http.addFilterAfter(switchUser, AuthorizationFilter.class);
		return http.build();
	}

	/**
	 * Persistent remember-me tokens: in the store's database where it has one (JDBC on H2
	 * and PostgreSQL), else in memory.
	 * @param dataSource the store's database, if any
	 * @return the token repository
	 */
	@Bean
	RememberMeTokens rememberMeTokens(ObjectProvider<DataSource> dataSource) {
		DataSource database = dataSource.getIfAvailable();
		if (database == null) {
			return new RememberMeTokens(new InMemoryTokenRepositoryImpl());
		}
		new JdbcTemplate(database)
			.execute("CREATE TABLE IF NOT EXISTS persistent_logins (username VARCHAR(64) NOT NULL, "
					+ "series VARCHAR(64) PRIMARY KEY, token VARCHAR(64) NOT NULL, last_used TIMESTAMP NOT NULL)");
		JdbcTokenRepositoryImpl tokens = new JdbcTokenRepositoryImpl();
		tokens.setDataSource(database);
		return new RememberMeTokens(tokens);
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService() {
		return new InMemoryUserDetailsManager(
				User.withUsername("user").password("{noop}password").roles("USER").build(),
				User.withUsername("admin").password("{noop}password").roles("USER", "ADMIN").build(),
				User.withUsername("auditor").password("{noop}password").roles("USER", "AUDITOR").build(),
				User.withUsername("traveller").password("{noop}password").roles("USER", "TRAVELLER").build());
	}

	/**
	 * Spring Session's Redis store with JSON instead of Java serialization, the way
	 * Spring Session documents it: Jackson with Spring Security's modules.
	 * @return the serializer of session attributes
	 */
	@Bean
	@ConditionalOnProperty(name = "test.session.serializer", havingValue = "json")
	RedisSerializer<Object> springSessionDefaultRedisSerializer() {
		ClassLoader loader = StoreTestApplication.class.getClassLoader();
		// Spring Security's modules allow its own types but one: the exception of a
		// refused session authentication, which the login keeps in the session
		BasicPolymorphicTypeValidator.Builder types = BasicPolymorphicTypeValidator.builder()
			.allowIfSubType("java.")
			.allowIfSubType(SessionAuthenticationException.class);
		JsonMapper mapper = JsonMapper.builder()
			.addModules(SecurityJacksonModules.getModules(loader, types))
			.addMixIn(SessionAuthenticationException.class, SessionAuthenticationExceptionMixin.class)
			.build();
		return new GenericJacksonJsonRedisSerializer(mapper);
	}

	/**
	 * Reads {@link SessionAuthenticationException} the way Spring Security's
	 * {@code BadCredentialsExceptionMixin} reads its exception: by its message.
	 */
	@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
	@JsonIgnoreProperties(ignoreUnknown = true, value = { "cause", "stackTrace", "authenticationRequest" })
	abstract static class SessionAuthenticationExceptionMixin {

		@JsonCreator
		SessionAuthenticationExceptionMixin(@JsonProperty("message") String message) {
		}

	}

	@Bean
	Transfers transfers() {
		return new Transfers();
	}

	@Bean
	Holds holds() {
		return new Holds();
	}

	@Bean
	Reports reports() {
		return new Reports();
	}

	/**
	 * Lets a request in only once every request whose answer is already out has returned
	 * through every filter, Spring Session's last save of its copy of the session
	 * included. Spring Session saves a request's session as its response is committed and
	 * again as the request leaves its filter, and the map repository replaces the whole
	 * session at each save: a browser that sends its next request, on another connection,
	 * as soon as it has the answer would otherwise have that request's save overwritten
	 * by the previous request's late one (the next login then finds the activity, or the
	 * saved request, of the request before it, spring-session#508). A request held in its
	 * controller, or one that went asynchronous, has no answer out, so nothing waits for
	 * it.
	 * @param answeredRequests the requests whose answers are out
	 * @return the filter, before every other one
	 */
	@Bean
	FilterRegistrationBean<Filter> answeredRequestsFilter(AnsweredRequests answeredRequests) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(answeredRequests);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	@Bean
	AnsweredRequests answeredRequests() {
		return new AnsweredRequests();
	}

	/**
	 * Tells the reports, and the holds of asynchronous requests, when the first dispatch
	 * of such a request has returned through every filter, Spring Session's save of its
	 * copy of the session included.
	 */
	@Bean
	FilterRegistrationBean<Filter> reportDispatchedFilter(Reports reports, Holds holds) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			chain.doFilter(request, response);
			if (request.getDispatcherType() == DispatcherType.REQUEST && request.isAsyncStarted()
					&& request instanceof HttpServletRequest http) {
				if (http.getRequestURI().endsWith("/report")) {
					reports.dispatched();
				}
				else if (http.getRequestURI().contains("/hold")) {
					holds.dispatched();
				}
			}
		});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * An application's filter before every other one that adds a header to the response
	 * as the request returns through it (a timing or tracing filter): the header is there
	 * unless the response was committed inside it.
	 */
	@Bean
	FilterRegistrationBean<Filter> headerAfterChainFilter() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			chain.doFilter(request, response);
			if (response instanceof HttpServletResponse http) {
				http.setHeader("X-Added-After-Chain", "true");
			}
		});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Holds the error page of {@link #HELD_ERROR_PAGE_PATH} until the test releases it,
	 * inside every filter of the error dispatch (the starter's included).
	 */
	@Bean
	FilterRegistrationBean<Filter> heldErrorPageFilter(Holds holds) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			if (HELD_ERROR_PAGE_PATH.equals(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI))) {
				try {
					holds.hold();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new ServletException(ex);
				}
			}
			chain.doFilter(request, response);
		});
		registration.setDispatcherTypes(DispatcherType.ERROR);
		registration.setOrder(Ordered.LOWEST_PRECEDENCE);
		return registration;
	}

	@Bean
	Exports exports() {
		return new Exports();
	}

	@Bean
	SimpleMeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	InMemoryAuditEventRepository auditEventRepository() {
		return new InMemoryAuditEventRepository();
	}

	@Bean
	RecordedEvents recordedEvents() {
		return new RecordedEvents();
	}

	/**
	 * Records every {@link SessionTimeoutEvent} and {@link SessionStepUpEvent}.
	 */
	public static class RecordedEvents {

		private final List<SessionTimeoutEvent> events = new CopyOnWriteArrayList<>();

		private final List<SessionStepUpEvent> stepUps = new CopyOnWriteArrayList<>();

		@EventListener
		void onSessionTimeout(SessionTimeoutEvent event) {
			this.events.add(event);
		}

		@EventListener
		void onStepUp(SessionStepUpEvent event) {
			this.stepUps.add(event);
		}

		public List<SessionTimeoutEvent> all() {
			return List.copyOf(this.events);
		}

		public List<SessionStepUpEvent> stepUps() {
			return List.copyOf(this.stepUps);
		}

		public void clear() {
			this.events.clear();
			this.stepUps.clear();
		}

	}

	/**
	 * A privileged service.
	 */
	public static class Transfers {

		@RequiresPrivilegedSession
		public String transfer(String amount) {
			return "transferred " + amount;
		}

	}

	/**
	 * Privileged transfers on another thread: one privileged {@code @Async} method, and
	 * one that calls the privileged service from there.
	 */
	public static class AsyncTransfers {

		private final Transfers transfers;

		AsyncTransfers(Transfers transfers) {
			this.transfers = transfers;
		}

		@Async
		@RequiresPrivilegedSession
		public CompletableFuture<String> transfer(String amount) {
			return CompletableFuture
				.completedFuture("transferred " + amount + " on " + Thread.currentThread().getName());
		}

		@Async
		public CompletableFuture<String> transferThroughTheService(String amount) {
			return CompletableFuture
				.completedFuture(this.transfers.transfer(amount) + " on " + Thread.currentThread().getName());
		}

	}

	/**
	 * The requests still running through the filters, to wait for those whose answer is
	 * out: a request's last steps may come after its answer (Jetty sends a redirect as
	 * the application sends it, before the starter's filter reads a login's revocations
	 * last).
	 */
	public static class AnsweredRequests implements Filter {

		private final Map<ServletResponse, CountDownLatch> running = new ConcurrentHashMap<>();

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			if (request.getDispatcherType() == DispatcherType.REQUEST) {
				awaitReturned();
			}
			CountDownLatch returned = new CountDownLatch(1);
			this.running.put(response, returned);
			try {
				chain.doFilter(request, response);
			}
			finally {
				this.running.remove(response, returned);
				returned.countDown();
			}
		}

		/**
		 * Wait until every request whose answer is out has returned through every filter,
		 * as a test does before it calls the application's beans directly once it has an
		 * answer.
		 */
		public void awaitReturned() {
			for (Map.Entry<ServletResponse, CountDownLatch> dispatch : this.running.entrySet()) {
				if (isCommitted(dispatch.getKey())) {
					awaitReturned(dispatch.getValue());
				}
			}
		}

		private static boolean isCommitted(ServletResponse response) {
			try {
				return response.isCommitted();
			}
			catch (IllegalStateException ex) {
				// Tomcat recycled it: its request has returned meanwhile
				return false;
			}
		}

		private static void awaitReturned(CountDownLatch returned) {
			try {
				if (!returned.await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("A request whose answer is out did not return through the filters");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * The persistent remember-me tokens, which a revocation of a user's sessions removes
	 * after it has read the sessions and before it revokes them: a test can run what
	 * happens in between.
	 */
	public static class RememberMeTokens implements PersistentTokenRepository {

		private final PersistentTokenRepository tokens;

		private volatile @Nullable Runnable beforeNextRemoval;

		private volatile @Nullable Runnable afterNextUpdate;

		private volatile boolean missNextLookup;

		RememberMeTokens(PersistentTokenRepository tokens) {
			this.tokens = tokens;
		}

		/**
		 * Run something before the next removal of a user's tokens, once.
		 * @param action what to run
		 */
		public void beforeNextRemoval(Runnable action) {
			this.beforeNextRemoval = action;
		}

		/**
		 * Run something after the next update of a token (a remember-me login that
		 * checked it and goes on to sign its user in), once, in the login's request.
		 * @param action what to run
		 */
		public void afterNextUpdate(Runnable action) {
			this.afterNextUpdate = action;
		}

		/**
		 * Find no token at the next lookup, once, as if it were not stored yet: the
		 * request that looks it up runs without a user, and a later dispatch of it (its
		 * asynchronous one) finds the token and signs its user in.
		 */
		public void missNextLookup() {
			this.missNextLookup = true;
		}

		@Override
		public void createNewToken(PersistentRememberMeToken token) {
			this.tokens.createNewToken(token);
		}

		@Override
		public void updateToken(String series, String tokenValue, Date lastUsed) {
			this.tokens.updateToken(series, tokenValue, lastUsed);
			Runnable action = this.afterNextUpdate;
			this.afterNextUpdate = null;
			if (action != null) {
				action.run();
			}
		}

		@Override
		public @Nullable PersistentRememberMeToken getTokenForSeries(String seriesId) {
			if (this.missNextLookup) {
				this.missNextLookup = false;
				return null;
			}
			return this.tokens.getTokenForSeries(seriesId);
		}

		@Override
		public void removeUserTokens(String username) {
			Runnable action = this.beforeNextRemoval;
			this.beforeNextRemoval = null;
			if (action != null) {
				action.run();
			}
			this.tokens.removeUserTokens(username);
		}

	}

	/**
	 * Holds a request in its controller until the test releases it, then lets it change
	 * its session, so that its save comes after whatever the test did meanwhile.
	 */
	public static class Holds {

		private volatile CountDownLatch held = new CountDownLatch(1);

		private volatile CountDownLatch released = new CountDownLatch(1);

		private final Semaphore dispatched = new Semaphore(0);

		/**
		 * Hold the next request again, and forget the dispatches of earlier requests.
		 */
		public void reset() {
			this.released.countDown();
			this.held = new CountDownLatch(1);
			this.released = new CountDownLatch(1);
			this.dispatched.drainPermits();
		}

		void hold() throws InterruptedException {
			CountDownLatch released = this.released;
			this.held.countDown();
			if (!released.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released");
			}
		}

		/**
		 * Wait until the first dispatch of an asynchronous request that holds has
		 * returned through every filter, Spring Session's save of its copy of the session
		 * included.
		 * @throws InterruptedException if interrupted while waiting
		 */
		public void awaitDispatched() throws InterruptedException {
			if (!this.dispatched.tryAcquire(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The first dispatch of the held request did not return");
			}
		}

		void dispatched() {
			this.dispatched.release();
		}

		/**
		 * Wait until a request is held.
		 * @throws InterruptedException if interrupted while waiting
		 */
		public void awaitHeld() throws InterruptedException {
			if (!this.held.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException("No request was held");
			}
		}

		/**
		 * Release the held request.
		 */
		public void release() {
			this.released.countDown();
		}

	}

	/**
	 * Reports that take a while: each request for one waits, as a deferred result, until
	 * the test completes it.
	 */
	public static class Reports {

		private final BlockingQueue<DeferredResult<Map<String, Object>>> requests = new LinkedBlockingQueue<>();

		private @Nullable DeferredResult<Map<String, Object>> requested;

		private final Semaphore dispatched = new Semaphore(0);

		DeferredResult<Map<String, Object>> request() {
			DeferredResult<Map<String, Object>> report = new DeferredResult<>(60_000L);
			this.requests.add(report);
			return report;
		}

		void dispatched() {
			this.dispatched.release();
		}

		/**
		 * Forget the reports requested so far, so that the next one waited for is
		 * requested after this call.
		 */
		public synchronized void reset() {
			this.requests.clear();
			this.requested = null;
			this.dispatched.drainPermits();
		}

		/**
		 * Wait until a report is requested: its request went asynchronous, and its first
		 * dispatch has returned, so that its copy of the session is saved and nothing of
		 * that dispatch races with what the test does next.
		 * @throws InterruptedException if interrupted while waiting
		 */
		public synchronized void awaitRequest() throws InterruptedException {
			if (this.requested == null) {
				this.requested = this.requests.poll(30, TimeUnit.SECONDS);
				if (this.requested != null && !this.dispatched.tryAcquire(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("The first dispatch of the report's request did not return");
				}
			}
			if (this.requested == null) {
				throw new IllegalStateException("No report was requested");
			}
		}

		/**
		 * Fail the requested report.
		 * @param failure why it failed
		 * @throws InterruptedException if interrupted while waiting for the request
		 */
		public synchronized void fail(RuntimeException failure) throws InterruptedException {
			awaitRequest();
			DeferredResult<Map<String, Object>> report = this.requested;
			this.requested = null;
			report.setErrorResult(failure);
		}

		/**
		 * Complete the requested report.
		 * @param content the report
		 * @throws InterruptedException if interrupted while waiting for the request
		 */
		public synchronized void complete(String content) throws InterruptedException {
			awaitRequest();
			DeferredResult<Map<String, Object>> report = this.requested;
			this.requested = null;
			report.setResult(Map.of("report", content));
		}

	}

	/**
	 * Exports, each of which needs an authentication of its own.
	 */
	public static class Exports {

		@RequiresPrivilegedSession(maxAge = "0")
		public String export() {
			return "exported";
		}

	}

	/**
	 * A password change, as an application writes it with the {@link UserSessions} bean:
	 * every other session of its user ends.
	 */
	@RestController
	static class PasswordController {

		private final ObjectProvider<UserSessions> userSessions;

		PasswordController(ObjectProvider<UserSessions> userSessions) {
			this.userSessions = userSessions;
		}

		/**
		 * Change the password, and the session id too with {@code rotate}, as some
		 * applications do after a change of credentials, before the other sessions end.
		 */
		@PostMapping(path = "/api/password", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> changePassword(HttpServletRequest request,
				@RequestParam(defaultValue = "false") boolean rotate) {
			if (rotate) {
				request.changeSessionId();
			}
			return Map.of("signedOutElsewhere", this.userSessions.getObject().revokeOthers(request));
		}

		/**
		 * Change the session id alone, as an application may do at any change of
		 * privilege without a new login.
		 */
		@PostMapping(path = "/api/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> rotate(HttpServletRequest request) {
			request.changeSessionId();
			return Map.of("rotated", true);
		}

	}

	/**
	 * An application's own handling of its data store's failures, for the requests that
	 * ask for it ({@code appHandles}): a catch-all that must not answer what the starter
	 * answers as its session store's outage.
	 */
	@RestControllerAdvice
	static class ApplicationErrors {

		@ExceptionHandler(DataAccessException.class)
		ResponseEntity<Map<String, Object>> dataAccessFailed(DataAccessException ex, HttpServletRequest request) {
			if (request.getParameter("appHandles") == null) {
				throw ex;
			}
			return ResponseEntity.internalServerError().body(Map.of("appError", ex.getClass().getName()));
		}

	}

	/**
	 * The clocks of the request's session, read through the public bean, as an
	 * application's own page would.
	 */
	@RestController
	static class SessionTimeoutsController {

		private final ObjectProvider<SessionTimeouts> sessionTimeouts;

		SessionTimeoutsController(ObjectProvider<SessionTimeouts> sessionTimeouts) {
			this.sessionTimeouts = sessionTimeouts;
		}

		@GetMapping(path = "/test/signed-in-until", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> signedInUntil(HttpServletRequest request) {
			return this.sessionTimeouts.getObject()
				.status(request)
				.map((status) -> Map.<String, Object>of("principal", String.valueOf(status.principal()),
						"lastActivityAt", status.lastActivityAt().toString(), "expiresAt",
						String.valueOf(status.expiresAt())))
				.orElse(Map.of("status", "none"));
		}

	}

	@RestController
	static class PagesController {

		private final MutableClock clock;

		private final Transfers transfers;

		private final InMemoryUserDetailsManager users;

		private final Exports exports;

		private final CyclicBarrier exportsTogether = new CyclicBarrier(2);

		private final Reports reports;

		private final Holds holds;

		private final AsyncTransfers asyncTransfers;

		private final ObjectProvider<UserSessions> userSessions;

		PagesController(MutableClock clock, Transfers transfers, InMemoryUserDetailsManager users, Exports exports,
				Reports reports, Holds holds, AsyncTransfers asyncTransfers,
				ObjectProvider<UserSessions> userSessions) {
			this.userSessions = userSessions;
			this.asyncTransfers = asyncTransfers;
			this.reports = reports;
			this.holds = holds;
			this.clock = clock;
			this.transfers = transfers;
			this.users = users;
			this.exports = exports;
		}

		/**
		 * Hold the request asynchronously, on a thread of Spring MVC's own.
		 */
		@GetMapping(path = "/api/hold-async", produces = MediaType.APPLICATION_JSON_VALUE)
		Callable<Map<String, Object>> holdAsync() {
			return () -> {
				this.holds.hold();
				return Map.of("held", true);
			};
		}

		/**
		 * Fail with {@code 503}: the error page holds the request
		 * ({@link StoreTestApplication#heldErrorPageFilter}).
		 */
		@GetMapping(path = HELD_ERROR_PAGE_PATH, produces = MediaType.APPLICATION_JSON_VALUE)
		void holdErrorPage(HttpServletResponse response) throws IOException {
			response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		}

		@GetMapping(path = "/api/hold", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> hold(HttpSession session) throws InterruptedException {
			this.holds.hold();
			session.setAttribute("held", "until released");
			return Map.of("held", true);
		}

		@PostMapping(path = "/api/hold-and-rotate", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> holdAndRotate(HttpServletRequest request) throws InterruptedException {
			this.holds.hold();
			request.changeSessionId();
			return Map.of("rotated", true);
		}

		@GetMapping(path = { "/api/report", "/test/report" }, produces = MediaType.APPLICATION_JSON_VALUE)
		DeferredResult<Map<String, Object>> report() {
			return this.reports.request();
		}

		/**
		 * Export once two requests, each with its own copy of the session, are both here.
		 */
		@GetMapping(path = "/api/export-together", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> exportTogether() throws Exception {
			this.exportsTogether.await(30, TimeUnit.SECONDS);
			return Map.of("result", this.exports.export());
		}

		/**
		 * A password reset that signs its user in itself, as many applications do: the
		 * user's sessions everywhere are revoked first, a second later the user is signed
		 * in here.
		 */
		@PostMapping(path = "/test/reset-password-and-login", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> resetPasswordAndLogin(@RequestParam String username, HttpServletRequest request) {
			this.clock.shift(Duration.ofSeconds(1));
			this.userSessions.getObject().revokeAll(username);
			this.clock.shift(Duration.ofSeconds(1));
			return programmaticLogin(username, request);
		}

		/**
		 * Sign a user in as {@code /test/programmatic-login} does, then revoke the user's
		 * sessions everywhere in the same request (a risk check after the login).
		 */
		@PostMapping(path = "/test/login-then-revoke-all", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> loginThenRevokeAll(@RequestParam String username, HttpServletRequest request) {
			Map<String, Object> login = programmaticLogin(username, request);
			this.clock.shift(Duration.ofSeconds(1));
			this.userSessions.getObject().revokeAll(username);
			return login;
		}

		/**
		 * File the session in the store's principal index under a name of the
		 * application's own, the user's email address, as Spring Session's documentation
		 * shows with its {@code PRINCIPAL_NAME_INDEX_NAME} attribute.
		 */
		@PostMapping(path = "/test/index-by-email", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> indexByEmail(Authentication authentication, HttpSession session) {
			String email = authentication.getName() + "@example.com";
			session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, email);
			return Map.of("indexedAs", email);
		}

		/**
		 * File the session in the store's principal index under the given name (the
		 * user's own, say), or under its user's name from its security context (the
		 * store's default) with no name.
		 */
		@PostMapping(path = "/test/index-by-name", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> indexByName(@RequestParam(defaultValue = "") String name, HttpSession session) {
			if (name.isEmpty()) {
				session.removeAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME);
			}
			else {
				session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, name);
			}
			return Map.of("indexedAs", name);
		}

		/**
		 * Sign a user in the way some applications do it themselves: the security context
		 * goes into the session, and no {@code InteractiveAuthenticationSuccessEvent} is
		 * published, so that the session holds no policy of its own.
		 */
		@PostMapping(path = "/test/programmatic-login", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> programmaticLogin(@RequestParam String username, HttpServletRequest request) {
			UserDetails user = this.users.loadUserByUsername(username);
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(
					UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
			request.getSession(true)
				.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
			return Map.of("name", username);
		}

		/**
		 * As {@code /test/programmatic-login}, then hold the request until released.
		 */
		@PostMapping(path = "/test/programmatic-login-and-hold", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> programmaticLoginAndHold(@RequestParam String username, HttpServletRequest request)
				throws InterruptedException {
			Map<String, Object> login = programmaticLogin(username, request);
			this.holds.hold();
			return login;
		}

		/**
		 * Overwrite the policy a session holds, as a store or serializer that garbles it
		 * would.
		 */
		@PostMapping(path = "/api/policy-attribute", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> policyAttribute(@RequestParam String value, HttpSession session) {
			// The policy is the last field of the state's text (format 3) but for the
			// fingerprint of its user, which this drops (taken as the session user's
			// again)
			String[] state = ((String) session.getAttribute(SessionAttributes.STATE)).split(";", 7);
			state[6] = value;
			session.setAttribute(SessionAttributes.STATE, String.join(";", state));
			return Map.of("policy", value);
		}

		/**
		 * Export, then hold the request until the test releases it: its session is saved
		 * after the export used the grant.
		 */
		@GetMapping(path = "/api/export-and-hold", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> exportAndHold(Authentication authentication) throws InterruptedException {
			String result = this.exports.export();
			this.holds.hold();
			return Map.of("name", authentication.getName(), "result", result);
		}

		@GetMapping(path = "/api/export", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> export(Authentication authentication) {
			return Map.of("name", authentication.getName(), "result", this.exports.export());
		}

		/**
		 * Export if the export may run, and answer either way, as an application that
		 * handles the failure of an optional privileged step itself.
		 */
		@GetMapping(path = "/api/export-if-possible", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> exportIfPossible(Authentication authentication) {
			try {
				return Map.of("name", authentication.getName(), "result", this.exports.export());
			}
			catch (RuntimeException ex) {
				return Map.of("name", authentication.getName(), "result", "not exported: " + ex.getClass().getName());
			}
		}

		@GetMapping(path = "/transfers", produces = MediaType.TEXT_HTML_VALUE)
		String transfersPage(HttpSession session) {
			return "<html><body>" + this.transfers.transfer("10") + ", cart " + session.getAttribute("cart")
					+ "</body></html>";
		}

		/**
		 * Transfer on another thread and wait for it, failing as the transfer failed.
		 */
		@GetMapping(path = "/api/transfer-async", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> transferAsync(@RequestParam boolean throughTheService, Authentication authentication)
				throws Throwable {
			CompletableFuture<String> transfer = throughTheService ? this.asyncTransfers.transferThroughTheService("10")
					: this.asyncTransfers.transfer("10");
			try {
				return Map.of("name", authentication.getName(), "result", transfer.get(30, TimeUnit.SECONDS),
						"requestThread", Thread.currentThread().getName());
			}
			catch (ExecutionException ex) {
				throw ex.getCause();
			}
		}

		/**
		 * Hold the request until the test releases it, then transfer on another thread
		 * and wait for it, failing as the transfer failed.
		 */
		@GetMapping(path = "/api/hold-and-transfer-async", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> holdAndTransferAsync(@RequestParam boolean throughTheService, Authentication authentication)
				throws Throwable {
			this.holds.hold();
			return transferAsync(throughTheService, authentication);
		}

		/**
		 * Answer with the future of a transfer on another thread, which starts once the
		 * test releases it, after the request's first dispatch returned.
		 */
		@GetMapping(path = "/api/hold-and-transfer-future", produces = MediaType.APPLICATION_JSON_VALUE)
		CompletableFuture<Map<String, Object>> holdAndTransferFuture() {
			return CompletableFuture.runAsync(() -> {
				try {
					this.holds.hold();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}, new DelegatingSecurityContextExecutor(ForkJoinPool.commonPool()))
				.thenCompose((released) -> this.asyncTransfers.transfer("10"))
				.thenApply((result) -> Map.of("result", result));
		}

		/**
		 * As {@code /api/hold-and-transfer-future}, and hold again once the transfer
		 * finished, before the future completes as the transfer did.
		 */
		@GetMapping(path = "/api/hold-and-transfer-future-later", produces = MediaType.APPLICATION_JSON_VALUE)
		CompletableFuture<Map<String, Object>> holdAndTransferFutureLater() {
			Executor executor = new DelegatingSecurityContextExecutor(ForkJoinPool.commonPool());
			return CompletableFuture.runAsync(this::holdHere, executor)
				.thenCompose((released) -> this.asyncTransfers.transfer("10"))
				.handleAsync((result, failure) -> {
					holdHere();
					if (failure != null) {
						throw (failure instanceof CompletionException completion) ? completion
								: new CompletionException(failure);
					}
					return Map.<String, Object>of("result", result);
				}, executor);
		}

		private void holdHere() {
			try {
				this.holds.hold();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Transfer asynchronously, on a thread of Spring MVC's own, once the test
		 * releases the request.
		 */
		@GetMapping(path = "/api/hold-and-transfer-callable", produces = MediaType.APPLICATION_JSON_VALUE)
		Callable<Map<String, Object>> holdAndTransferCallable() {
			return () -> {
				this.holds.hold();
				return Map.of("result", this.transfers.transfer("10"));
			};
		}

		/**
		 * Forward to the privileged path {@code /api/transfer} of some tests.
		 */
		@GetMapping(path = "/api/forward-to-transfer", produces = MediaType.APPLICATION_JSON_VALUE)
		void forwardToTransfer(HttpServletRequest request, HttpServletResponse response) throws Exception {
			request.getRequestDispatcher("/api/transfer").forward(request, response);
		}

		/**
		 * Include the privileged path {@code /api/transfer} of some tests.
		 */
		@GetMapping(path = "/api/include-transfer", produces = MediaType.APPLICATION_JSON_VALUE)
		void includeTransfer(HttpServletRequest request, HttpServletResponse response) throws Exception {
			request.getRequestDispatcher("/api/transfer").include(request, response);
		}

		/**
		 * Fail with {@code 423 Locked}, whose error page some tests map to a privileged
		 * path.
		 */
		@GetMapping(path = "/api/locked", produces = MediaType.APPLICATION_JSON_VALUE)
		void locked(HttpServletResponse response) throws Exception {
			response.sendError(423);
		}

		/**
		 * Answer {@code 204} without writing or flushing anything: the response commits,
		 * and Spring Session saves the session, only as the request ends.
		 */
		@GetMapping(path = "/api/unflushed")
		void unflushed(HttpServletResponse response) {
			response.setStatus(HttpServletResponse.SC_NO_CONTENT);
		}

		@GetMapping(path = "/api/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> transfer(Authentication authentication) {
			return Map.of("name", authentication.getName(), "result", this.transfers.transfer("10"));
		}

		@GetMapping(path = "/account/password", produces = MediaType.TEXT_HTML_VALUE)
		String passwordPage(Authentication authentication) {
			return "<html><body>Change the password of " + authentication.getName() + "</body></html>";
		}

		@PostMapping(path = "/api/cart", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> addToCart(@RequestParam String item, HttpSession session) {
			session.setAttribute("cart", item);
			return Map.of("cart", item);
		}

		@GetMapping(path = "/login", produces = MediaType.TEXT_HTML_VALUE)
		String login(@RequestParam(required = false) String expired) {
			return "<html><body>" + ((expired != null) ? "<p id=\"expired\">Session ended: " + expired + "</p>" : "")
					+ "<form method=\"post\" action=\"/login\"><input name=\"username\"><input name=\"password\""
					+ " type=\"password\"><button>Sign in</button></form></body></html>";
		}

		@GetMapping(path = "/home", produces = MediaType.TEXT_HTML_VALUE)
		String home(Authentication authentication, HttpSession session) {
			return "<html><body>Hello " + authentication.getName() + ", cart " + session.getAttribute("cart")
					+ "</body></html>";
		}

		/**
		 * A page anyone may reach, whose content needs a signed-in user: code that reads
		 * the security context and refuses anyone else.
		 */
		@GetMapping(path = "/test/balance", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> balance() {
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || !authentication.isAuthenticated()
					|| authentication instanceof AnonymousAuthenticationToken) {
				throw new AccessDeniedException("Only a signed-in user has a balance");
			}
			return Map.of("balance", "balance of " + authentication.getName());
		}

		/**
		 * A page anyone may reach, with an anonymous view.
		 */
		@GetMapping(path = "/test/hello", produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> hello() {
			return Map.of("hello", "anyone");
		}

		@GetMapping(path = { "/api/me", "/api/poll" }, produces = MediaType.APPLICATION_JSON_VALUE)
		Map<String, Object> me(Authentication authentication, HttpServletRequest request) {
			Instant decidedAt = this.clock.lastReadingOnThisThread();
			HttpSession session = request.getSession(false);
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("name", authentication.getName());
			body.put("decidedAt", (decidedAt != null) ? decidedAt.toString() : "");
			if (session != null) {
				body.put("maxInactiveInterval", session.getMaxInactiveInterval());
				SessionTimeline timeline = SessionAttributes.read(HttpSessionAccess.of(session));
				if (timeline != null) {
					body.put("createdAt", timeline.createdAt().toEpochMilli());
					body.put("lastActivityAt", timeline.lastActivityAt().toEpochMilli());
				}
			}
			return body;
		}

	}

}
