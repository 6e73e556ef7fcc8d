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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.CookieSerializer.CookieValue;
import org.springframework.session.web.http.DefaultCookieSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionCookieSerializerInterceptor}.
 *
 * @author session-timeout
 */
class SessionCookieSerializerInterceptorTests {

	private final MockHttpServletRequest request = new MockHttpServletRequest();

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	private void chooseMaxAge(Object seconds) {
		this.request.setAttribute(ServletSessionClocks.COOKIE_MAX_AGE_ATTRIBUTE, seconds);
	}

	private String write(Object serializer, CookieValue cookieValue) {
		((CookieSerializer) serializer).writeCookieValue(cookieValue);
		return this.response.getHeader("Set-Cookie");
	}

	private String write(Object serializer, String value) {
		return write(serializer, new CookieValue(this.request, this.response, value));
	}

	private static long interceptors(Object serializer) {
		return Arrays.stream(((Advised) serializer).getAdvisors())
			.filter((advisor) -> advisor.getAdvice() instanceof SessionCookieSerializerInterceptor)
			.count();
	}

	@Test
	void decorateWhenSerializerClassIsNotFinalThenTheProxyKeepsItsClassAndSettings() {
		DefaultCookieSerializer serializer = new DefaultCookieSerializer();
		serializer.setCookieName("SID");
		Object decorated = SessionCookieSerializerInterceptor.decorate(serializer);
		assertThat(decorated).isNotSameAs(serializer).isInstanceOf(DefaultCookieSerializer.class);
		assertThat(AopUtils.isCglibProxy(decorated)).isTrue();
		chooseMaxAge(600);
		assertThat(write(decorated, "abc")).startsWith("SID=").contains("Max-Age=600");
	}

	@Test
	void decorateWhenAlreadyDecoratedThenReturnsTheSameSerializer() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		assertThat(SessionCookieSerializerInterceptor.decorate(decorated)).isSameAs(decorated);
		assertThat(interceptors(decorated)).isOne();
	}

	@Test
	void decorateWhenProxiedWithoutTheInterceptorThenDecoratesTheProxy() {
		ProxyFactory factory = new ProxyFactory(new RecordingCookieSerializer());
		factory.addInterface(CookieSerializer.class);
		factory.addAdvice((MethodInterceptor) (invocation) -> invocation.proceed());
		Object proxied = factory.getProxy();
		Object decorated = SessionCookieSerializerInterceptor.decorate(proxied);
		assertThat(decorated).isNotSameAs(proxied);
		assertThat(interceptors(decorated)).isOne();
		chooseMaxAge(600);
		CookieValue cookieValue = new CookieValue(this.request, this.response, "abc");
		((CookieSerializer) decorated).writeCookieValue(cookieValue);
		assertThat(cookieValue.getCookieMaxAge()).isEqualTo(600);
	}

	@Test
	void decorateWhenSerializerClassIsFinalThenTheProxyIsACookieSerializer() {
		RecordingCookieSerializer serializer = new RecordingCookieSerializer();
		Object decorated = SessionCookieSerializerInterceptor.decorate(serializer);
		assertThat(decorated).isInstanceOf(CookieSerializer.class).isNotInstanceOf(RecordingCookieSerializer.class);
		chooseMaxAge(600);
		write(decorated, "abc");
		assertThat(serializer.written).singleElement()
			.satisfies((cookieValue) -> assertThat(cookieValue.getCookieMaxAge()).isEqualTo(600));
	}

	@Test
	void writeCookieValueWhenTheRequestHasAMaxAgeThenTheCookieGetsIt() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		chooseMaxAge(600);
		assertThat(write(decorated, "abc")).contains("Max-Age=600", "Expires=");
	}

	@Test
	void writeCookieValueWhenTheRequestHasNoMaxAgeThenABrowserSessionCookie() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		assertThat(write(decorated, "abc")).startsWith("SESSION=").doesNotContain("Max-Age", "Expires");
	}

	@Test
	void writeCookieValueWhenTheMaxAgeIsNotAnIntegerThenABrowserSessionCookie() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		chooseMaxAge(600L);
		assertThat(write(decorated, "abc")).doesNotContain("Max-Age");
	}

	@Test
	void writeCookieValueWhenTheCookieHasAMaxAgeAlreadyThenKeepsIt() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		chooseMaxAge(600);
		CookieValue cookieValue = new CookieValue(this.request, this.response, "abc");
		cookieValue.setCookieMaxAge(60);
		assertThat(write(decorated, cookieValue)).contains("Max-Age=60;").doesNotContain("Max-Age=600");
	}

	@Test
	void writeCookieValueWhenTheCookieIsEmptyThenItStillExpiresAtOnce() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		chooseMaxAge(600);
		assertThat(write(decorated, "")).startsWith("SESSION=;").contains("Max-Age=0").doesNotContain("Max-Age=600");
	}

	@Test
	void writeCookieValueWhenTheCookieIsEmptyWithoutAMaxAgeThenGivesItNone() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		chooseMaxAge(600);
		CookieValue cookieValue = new CookieValue(this.request, this.response, "");
		cookieValue.setCookieMaxAge(-1);
		assertThat(write(decorated, cookieValue)).doesNotContain("Max-Age");
	}

	@Test
	void writeCookieValueWhenAnEndedAnswerKeepsTheCookieThenItsDropIsNotWritten() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		this.request.setAttribute(ServletSessionAnswers.KEEP_COOKIE_ATTRIBUTE, Boolean.TRUE);
		assertThat(write(decorated, "")).isNull();
	}

	@Test
	void writeCookieValueWhenAnEndedAnswerKeepsTheCookieThenANewSessionsCookieIsStillWritten() {
		Object decorated = SessionCookieSerializerInterceptor.decorate(new DefaultCookieSerializer());
		this.request.setAttribute(ServletSessionAnswers.KEEP_COOKIE_ATTRIBUTE, Boolean.TRUE);
		assertThat(write(decorated, "abc")).startsWith("SESSION=");
	}

	@Test
	void readCookieValuesWhenDecoratedThenLeftToTheSerializer() {
		DefaultCookieSerializer serializer = new DefaultCookieSerializer();
		serializer.setUseBase64Encoding(false);
		Object decorated = SessionCookieSerializerInterceptor.decorate(serializer);
		chooseMaxAge(600);
		this.request.setCookies(new Cookie("SESSION", "abc"));
		assertThat(((CookieSerializer) decorated).readCookieValues(this.request)).containsExactly("abc");
	}

	static final class RecordingCookieSerializer implements CookieSerializer {

		final List<CookieValue> written = new ArrayList<>();

		@Override
		public void writeCookieValue(CookieValue cookieValue) {
			this.written.add(cookieValue);
		}

		@Override
		public List<String> readCookieValues(HttpServletRequest request) {
			return List.of();
		}

	}

}
