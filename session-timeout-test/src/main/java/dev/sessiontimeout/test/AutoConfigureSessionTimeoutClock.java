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
package dev.sessiontimeout.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Annotation for a test class ({@code @SpringBootTest} or a test slice such as
 * {@code @WebMvcTest}) that makes a {@link MovableClock} the {@code sessionTimeoutClock}
 * bean, the clock of every session-timeout decision, so that the test moves time instead
 * of sleeping:
 *
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;AutoConfigureSessionTimeoutClock
 * class MyTests {
 *
 *     &#064;Autowired
 *     MovableClock clock;
 *
 *     &#064;Test
 *     void sessionEndsAfterItsIdleTimeout() {
 *         // sign in, then
 *         this.clock.advance(Duration.ofMinutes(31));
 *         // the next request finds the session ended
 *     }
 *
 * }
 * </pre>
 *
 * Each application context gets its own clock, which stands at the current instant when
 * the context starts and moves only when the test moves it. Spring's test framework
 * caches contexts, so test classes with the same configuration share a clock: a test that
 * needs a particular instant sets it with {@link MovableClock#set(java.time.Instant)}.
 * <p>
 * Like Spring Boot's own auto-configuration, the clock backs off when the application
 * context already has a bean named {@code sessionTimeoutClock}: the test then gets that
 * bean, and injecting a {@code MovableClock} fails unless it is one. A {@code Clock} bean
 * of the application under another name stays the one injected by type: the movable clock
 * is a fallback bean, which the starter asks for by its name.
 *
 * @author session-timeout
 * @since 0.1.0
 * @see SessionTimeoutClockAutoConfiguration
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureSessionTimeoutClock {

}
