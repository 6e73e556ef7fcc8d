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

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.core.MethodParameter;
import org.springframework.util.ReflectionUtils;

/**
 * Reads a string that Java serialization wrote on its own ({@code ObjectOutputStream}'s
 * stream header, then the string), as Spring Session's default serializers write a
 * {@link String} attribute, without an {@code ObjectInputStream}: the same characters, at
 * a small part of the cost. It reads only strings of characters {@code U+0001} to
 * {@code U+007F} (one byte each in the stream's modified UTF-8) that fill the bytes
 * exactly, and answers {@code null} for everything else, which is then read as before.
 * The starter reads its state, a string of that kind, on every request.
 * <p>
 * The one difference from {@code ObjectInputStream}: a JVM whose serial filter
 * configuration ({@code jdk.serialFilter}, {@code jdk.serialFilterFactory}) is invalid
 * fails every {@code ObjectInputStream}, where this still reads a string (no serial
 * filter is ever asked about a string).
 *
 * @author session-timeout
 */
final class JavaSerializedStrings {

	/**
	 * {@code STREAM_MAGIC}, {@code STREAM_VERSION} and {@code TC_STRING} of the Java
	 * Object Serialization Stream Protocol.
	 */
	private static final byte[] PREFIX = { (byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x74 };

	/**
	 * The prefix and the string's length in two bytes.
	 */
	private static final int HEADER_LENGTH = PREFIX.length + 2;

	private JavaSerializedStrings() {
	}

	/**
	 * Return the string that the given bytes hold, if they are exactly Java serialization
	 * of a string of characters {@code U+0001} to {@code U+007F}.
	 * @param bytes the serialized bytes
	 * @return the string, or {@code null} if the bytes are anything else
	 */
	static @Nullable String read(byte @Nullable [] bytes) {
		if (bytes == null || bytes.length < HEADER_LENGTH) {
			return null;
		}
		for (int i = 0; i < PREFIX.length; i++) {
			if (bytes[i] != PREFIX[i]) {
				return null;
			}
		}
		int length = ((bytes[PREFIX.length] & 0xFF) << 8) | (bytes[PREFIX.length + 1] & 0xFF);
		if (bytes.length != HEADER_LENGTH + length) {
			return null;
		}
		for (int i = HEADER_LENGTH; i < bytes.length; i++) {
			// a signed byte: 0x00, and 0x80 to 0xFF (characters of two or three bytes)
			if (bytes[i] <= 0) {
				return null;
			}
		}
		return new String(bytes, HEADER_LENGTH, length, StandardCharsets.ISO_8859_1);
	}

	/**
	 * Return whether the application gives Spring Session's configuration a bean for one
	 * of its optional setter injection points, resolved as Spring resolves that injection
	 * point (type, qualifier, bean name).
	 * @param beanFactory the bean factory
	 * @param configuration Spring Session's configuration class
	 * @param setter the name of its setter
	 * @param type the setter's parameter type
	 * @return whether a bean is given, or {@code true} if the setter is not found
	 */
	static boolean isGiven(ConfigurableListableBeanFactory beanFactory, Class<?> configuration, String setter,
			Class<?> type) {
		Method method = ReflectionUtils.findMethod(configuration, setter, type);
		if (method == null) {
			return true;
		}
		try {
			return beanFactory.resolveDependency(new DependencyDescriptor(new MethodParameter(method, 0), false),
					null) != null;
		}
		catch (BeansException ex) {
			return true;
		}
	}

}
