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
package dev.sessiontimeout.internal.session;

import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.SessionTimeoutPolicy;

/**
 * A request for the tests of {@link SessionClocks}: anonymous, or of a signed-in user
 * whose authentication gives a policy and who needs it; active unless made passive.
 *
 * @param signedIn whether the request's user is signed in
 * @param authenticatedPolicy the policy the user's authentication gives, if signed in
 * @param passive whether the request does not count as activity
 * @author session-timeout
 */
record TestRequest(boolean signedIn, @Nullable SessionTimeoutPolicy authenticatedPolicy,
		boolean passive) implements SessionRequest {

	static TestRequest anonymous() {
		return new TestRequest(false, null, false);
	}

	static TestRequest signedIn(SessionTimeoutPolicy policy) {
		return new TestRequest(true, policy, false);
	}

	/**
	 * Return this request as one that does not count as activity.
	 */
	TestRequest asPassive() {
		return new TestRequest(this.signedIn, this.authenticatedPolicy, true);
	}

	@Override
	public boolean isPassive() {
		return this.passive;
	}

	@Override
	public boolean isAuthenticated() {
		return this.signedIn;
	}

	@Override
	public boolean mayBePrivileged() {
		return this.signedIn;
	}

	@Override
	public boolean requiresAuthentication() {
		return this.signedIn;
	}

	@Override
	public boolean isPrivilegedPath() {
		return false;
	}

	@Override
	public boolean hasUsedPrivilegeGrant() {
		return false;
	}

	@Override
	public void usePrivilegeGrant() {
	}

}
