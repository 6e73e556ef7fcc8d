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
package dev.sessiontimeout;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method, or every method of a type, as a privileged operation: it proceeds only
 * if the user authenticated recently enough, else the user is asked to authenticate again
 * (a step-up) and the method is not called. A browser is sent into the login flow and
 * comes back to the request afterwards; any other client gets a {@code 401} with an RFC
 * 9470 {@code WWW-Authenticate} challenge. Works on interfaces, classes and their
 * proxies, without an AspectJ weaver.
 *
 * @author session-timeout
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface RequiresPrivilegedSession {

	/**
	 * The maximum age of the authentication, as a session duration such as {@code 5m}; by
	 * default the privileged age of the session's policy
	 * ({@code session-timeout.privileged.max-age}). {@code 0} demands an authentication
	 * for every call.
	 * @return the maximum age, or an empty string for the policy's
	 */
	String maxAge() default "";

}
