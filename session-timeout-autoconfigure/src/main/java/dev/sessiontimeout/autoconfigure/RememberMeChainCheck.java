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

package dev.sessiontimeout.autoconfigure;

import java.util.List;

import jakarta.servlet.Filter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationFilter;

import dev.sessiontimeout.internal.security.PassiveRememberMeFilter;

/**
 * Warns at startup of a servlet security filter chain that signs users in by remember-me
 * through a {@link RememberMeAuthenticationFilter} the application added itself, without
 * {@code http.rememberMe()}: the starter puts its {@link PassiveRememberMeFilter} right
 * before the filter of {@code rememberMe()} only, so in such a chain a remember-me login
 * is dated when it is recorded rather than from before its token check (a revocation
 * everywhere racing it may spare it), and passive requests may be signed in by it.
 *
 * @author session-timeout
 */
final class RememberMeChainCheck implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RememberMeChainCheck.class);

	private final ListableBeanFactory beanFactory;

	RememberMeChainCheck(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.beanFactory.getBeansOfType(SecurityFilterChain.class).forEach((name, chain) -> {
			if (signsInWithoutTheStarter(chain.getFilters())) {
				logger.warn("The security filter chain '" + name + "' has a RememberMeAuthenticationFilter without"
						+ " session-timeout's PassiveRememberMeFilter right before it (one added without"
						+ " http.rememberMe(), say): its remember-me logins are dated when they are recorded,"
						+ " not from before their token check, so UserSessions.revokeAll racing one may spare it,"
						+ " and passive requests (session-timeout.activity.passive-paths) may be signed in by"
						+ " remember-me. Configure remember-me with http.rememberMe(...) instead");
			}
		});
	}

	/**
	 * Return whether a chain holds a remember-me filter that the starter's filter does
	 * not come right before.
	 */
	static boolean signsInWithoutTheStarter(List<Filter> filters) {
		for (int i = 0; i < filters.size(); i++) {
			if (filters.get(i) instanceof RememberMeAuthenticationFilter
					&& (i == 0 || !(filters.get(i - 1) instanceof PassiveRememberMeFilter))) {
				return true;
			}
		}
		return false;
	}

}
