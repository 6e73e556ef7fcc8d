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

package dev.sessiontimeout.benchmarks.jmh;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.AbstractFilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletContextInitializerBeans;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockServletContext;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.config.annotation.web.http.EnableSpringHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.DefaultMockMvcBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.support.GenericWebApplicationContext;

import dev.sessiontimeout.benchmarks.BenchmarkApplication;

/**
 * A whole request of the load comparison's application, {@code GET /api/me} of a
 * signed-in session, in one thread and without a network: the application runs in this
 * JVM on Spring Session's in-memory store and each request goes through its servlet
 * filters, in their order (Spring Session's, the starter's enforcement filter, Spring
 * Security's chain) and then {@code MockMvc}'s {@code DispatcherServlet} on its context.
 * {@code starter} runs it with the starter enabled and disabled, one after the other in
 * one run: their difference is what the starter costs a request in CPU time (and, with
 * {@code -prof gc}, in allocated bytes), without the noise of a network, a store and a
 * second application that the load comparison measures it in. {@code MockMvc}'s own work
 * (building the request and the response) is the same in both, and the filters find no
 * request exposed through {@code RequestContextHolder}, as in a servlet container. Both
 * run with the same heap and collector whatever the machine.
 *
 * @author session-timeout
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = { "-Xms1g", "-Xmx1g", "-XX:+UseG1GC" })
public class ServletRequestBenchmark {

	private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");

	private static final Pattern VALUE = Pattern.compile("value=\"([^\"]+)\"");

	private static final String EXPECTED_BODY = "{\"name\":\"user\"}";

	/**
	 * {@code GET /api/me} of the signed-in session, answered {@code 200} with the user's
	 * name.
	 * @param application the running application
	 * @return the request's result
	 * @throws Exception if the request fails
	 */
	@Benchmark
	public MvcResult signedInRequest(SignedIn application) throws Exception {
		return application.mvc.perform(application.request).andReturn();
	}

	/**
	 * The application, signed in once.
	 */
	@State(Scope.Benchmark)
	public static class SignedIn {

		/**
		 * Whether the starter is enabled ({@code session-timeout.enabled}).
		 */
		@Param({ "enabled", "disabled" })
		public String starter;

		ConfigurableApplicationContext context;

		MockMvc mvc;

		RequestBuilder request;

		@Setup(Level.Trial)
		public void start() throws Exception {
			SessionClocksBenchmark.quietLogging();
			this.context = new SpringApplicationBuilder(BenchmarkApplication.class, InMemoryStore.class)
				.contextFactory(
						ApplicationContextFactory.of(() -> new GenericWebApplicationContext(new MockServletContext())))
				.properties("benchmark.instance=jmh", "logging.level.root=warn",
						"session-timeout.enabled=" + "enabled".equals(this.starter),
						"spring.autoconfigure.exclude=" + String.join(",", InMemoryStore.EXCLUDED))
				.run();
			this.mvc = mockMvc(this.context);
			this.request = MockMvcRequestBuilders.get("/api/me")
				.accept(MediaType.APPLICATION_JSON)
				.cookie(new Cookie("SESSION", signIn()));
			check();
		}

		/**
		 * A {@code MockMvc} with the application's filters, each as Spring Boot would
		 * register it with the servlet container: in their order, for their dispatcher
		 * types and URL patterns, behind one that hides {@code MockMvc}'s own exposure of
		 * the request.
		 */
		private static MockMvc mockMvc(ConfigurableApplicationContext context) {
			DefaultMockMvcBuilder builder = MockMvcBuilders.webAppContextSetup((WebApplicationContext) context);
			builder.addFilters(new WithoutRequestAttributes());
			for (ServletContextInitializer initializer : new ServletContextInitializerBeans(context.getBeanFactory())) {
				if (initializer instanceof AbstractFilterRegistrationBean<?> registration && registration.isEnabled()) {
					String[] urlPatterns = registration.getUrlPatterns().toArray(String[]::new);
					builder.addFilter(registration.getFilter(), registration.getFilterName(),
							registration.getInitParameters(), registration.determineDispatcherTypes(),
							(urlPatterns.length > 0) ? urlPatterns : new String[] { "/*" });
				}
			}
			return builder.build();
		}

		/**
		 * Sign in as a browser does: {@code GET /login} for a session and its CSRF token,
		 * then the form.
		 * @return the session cookie's value
		 */
		private String signIn() throws Exception {
			MvcResult page = this.mvc.perform(MockMvcRequestBuilders.get("/login").accept(MediaType.TEXT_HTML))
				.andReturn();
			String cookie = sessionCookie(page);
			Matcher input = CSRF_INPUT.matcher(page.getResponse().getContentAsString());
			Matcher token = input.find() ? VALUE.matcher(input.group()) : null;
			if (cookie == null || token == null || !token.find()) {
				throw new IllegalStateException("GET /login answered " + page.getResponse().getStatus()
						+ " without a session cookie or CSRF token");
			}
			MvcResult login = this.mvc
				.perform(MockMvcRequestBuilders.post("/login")
					.accept(MediaType.TEXT_HTML)
					.cookie(new Cookie("SESSION", cookie))
					.param("username", "user")
					.param("password", "password")
					.param("_csrf", token.group(1)))
				.andReturn();
			String location = login.getResponse().getRedirectedUrl();
			if (login.getResponse().getStatus() != 302 || location == null || location.contains("error")) {
				throw new IllegalStateException(
						"POST /login answered " + login.getResponse().getStatus() + " to '" + location + "'");
			}
			String signedIn = sessionCookie(login);
			return (signedIn != null) ? signedIn : cookie;
		}

		private static @Nullable String sessionCookie(MvcResult result) {
			Cookie cookie = result.getResponse().getCookie("SESSION");
			return (cookie != null) ? cookie.getValue() : null;
		}

		/**
		 * Fail unless the request is still answered as a signed-in user's, so that no
		 * iteration measures a refused request.
		 */
		@TearDown(Level.Iteration)
		public void check() throws Exception {
			MvcResult result = this.mvc.perform(this.request).andReturn();
			String body = result.getResponse().getContentAsString();
			if (result.getResponse().getStatus() != 200 || !EXPECTED_BODY.equals(body)) {
				throw new IllegalStateException(
						"GET /api/me answered " + result.getResponse().getStatus() + ": " + body);
			}
		}

		@TearDown(Level.Trial)
		public void stop() {
			this.context.close();
		}

	}

	/**
	 * Runs the filters after it with no request attributes in
	 * {@code RequestContextHolder}, as a servlet container does; {@code MockMvc} exposes
	 * its request there before its first filter, which would spare the starter's
	 * enforcement filter its own exposure of the request (Spring Boot's
	 * {@code RequestContextFilter} comes after it).
	 */
	private static final class WithoutRequestAttributes implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			RequestAttributes exposed = RequestContextHolder.getRequestAttributes();
			RequestContextHolder.resetRequestAttributes();
			try {
				chain.doFilter(request, response);
			}
			finally {
				RequestContextHolder.setRequestAttributes(exposed);
			}
		}

	}

	/**
	 * Spring Session's in-memory store, in the place of the application's Redis or JDBC
	 * store (whose auto-configurations are left out).
	 */
	@EnableSpringHttpSession
	static class InMemoryStore {

		static final List<String> EXCLUDED = List.of(
				"org.springframework.boot.session.jdbc.autoconfigure.JdbcSessionAutoConfiguration",
				"org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");

		@Bean
		MapSessionRepository sessionRepository() {
			return new MapSessionRepository(new ConcurrentHashMap<>());
		}

	}

}
