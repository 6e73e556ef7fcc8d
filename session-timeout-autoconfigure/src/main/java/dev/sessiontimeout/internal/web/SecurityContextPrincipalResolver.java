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
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.authentication.switchuser.SwitchUserGrantedAuthority;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.util.ClassUtils;

import dev.sessiontimeout.internal.session.SessionAttributeSource;
import dev.sessiontimeout.internal.session.SessionPrincipalResolver;

/**
 * Reads the principal from the {@link SecurityContext} that Spring Security keeps in the
 * session.
 *
 * @author session-timeout
 * @since 0.1.0
 */
public class SecurityContextPrincipalResolver implements SessionPrincipalResolver {

	private static final boolean OAUTH2_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken",
			SecurityContextPrincipalResolver.class.getClassLoader());

	@Override
	public @Nullable String resolve(SessionAttributeSource session) {
		return nameOf(session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY));
	}

	@Override
	public @Nullable String provider(SessionAttributeSource session) {
		Object securityContext = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		return (securityContext instanceof SecurityContext context) ? providerOf(context.getAuthentication()) : null;
	}

	@Override
	public @Nullable User user(SessionAttributeSource session) {
		Object securityContext = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		String name = nameOf(securityContext);
		return (name != null && securityContext instanceof SecurityContext context)
				? new User(name, providerOf(context.getAuthentication())) : null;
	}

	/**
	 * Return the names of the users who switched to the session's user with Spring
	 * Security's {@code SwitchUserFilter} (or {@code SwitchUserWebFilter}): the sources
	 * of its {@link SwitchUserGrantedAuthority switch authorities}, and theirs in turn.
	 */
	@Override
	public List<String> switchedFrom(SessionAttributeSource session) {
		return switchedFromUsers(session).stream().map(User::name).toList();
	}

	/**
	 * Return the users who switched to the session's user ({@link #switchedFrom}), each
	 * with the OAuth 2.0 client registration of its own authentication.
	 */
	@Override
	public List<User> switchedFromUsers(SessionAttributeSource session) {
		Object securityContext = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
		Authentication authentication = (securityContext instanceof SecurityContext context)
				? context.getAuthentication() : null;
		List<User> users = new ArrayList<>();
		// A bounded walk: a switch chain is short, and a cycle (edited by hand) ends it
		for (int depth = 0; authentication != null && depth < 8; depth++) {
			Authentication source = null;
			for (GrantedAuthority authority : authentication.getAuthorities()) {
				if (authority instanceof SwitchUserGrantedAuthority switchUser) {
					source = switchUser.getSource();
					break;
				}
			}
			if (source != null && !(source instanceof AnonymousAuthenticationToken)) {
				users.add(new User(source.getName(), providerOf(source)));
			}
			authentication = source;
		}
		return users;
	}

	/**
	 * Return the identity provider an authentication comes from.
	 * @param authentication the authentication
	 * @return the OAuth 2.0 client registration id of an {@code oauth2Login()}, else
	 * {@code null}
	 */
	public static @Nullable String providerOf(@Nullable Authentication authentication) {
		return (OAUTH2_CLIENT_PRESENT && authentication != null) ? OAuth2Providers.registrationIdOf(authentication)
				: null;
	}

	/**
	 * Return the name of the user of a security context kept in a session.
	 * @param securityContext the value of the session's security context attribute
	 * @return the principal name, or {@code null} for no or an anonymous authentication
	 */
	public static @Nullable String nameOf(@Nullable Object securityContext) {
		if (securityContext instanceof SecurityContext context) {
			Authentication authentication = context.getAuthentication();
			if (authentication != null && !(authentication instanceof AnonymousAuthenticationToken)) {
				return authentication.getName();
			}
		}
		return null;
	}

	/**
	 * Reads OAuth 2.0 authentications, loaded only when Spring Security's OAuth 2.0
	 * client is on the class path.
	 */
	private static final class OAuth2Providers {

		static @Nullable String registrationIdOf(Authentication authentication) {
			return (authentication instanceof OAuth2AuthenticationToken token)
					? token.getAuthorizedClientRegistrationId() : null;
		}

	}

}
