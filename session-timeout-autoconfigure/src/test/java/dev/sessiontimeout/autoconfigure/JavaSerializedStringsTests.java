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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JavaSerializedStrings}: whatever it reads, Java deserialization reads
 * the same, and it reads every string of characters {@code U+0001} to {@code U+007F} that
 * Java serialization writes as a short string.
 *
 * @author session-timeout
 */
class JavaSerializedStringsTests {

	private static final byte[] PREFIX = { (byte) 0xAC, (byte) 0xED, 0x00, 0x05, 0x74 };

	@Property(tries = 2000)
	void readWhenAnySerializedStringThenWhatJavaDeserializationReadsOrNothing(@ForAll String string) throws Exception {
		byte[] bytes = serialize(string);
		String read = JavaSerializedStrings.read(bytes);
		if (read != null) {
			assertThat(read).isEqualTo(deserialize(bytes)).isEqualTo(string);
		}
		if (string.chars().allMatch((c) -> c >= 1 && c <= 0x7F)) {
			assertThat(read).isEqualTo(string);
		}
	}

	@Property(tries = 1000)
	void readWhenAsciiStringUpToTheShortStringLimitThenTheString(
			@ForAll @CharRange(from = '\u0001', to = '\u007f') @StringLength(max = 65535) String string)
			throws Exception {
		assertThat(JavaSerializedStrings.read(serialize(string))).isEqualTo(string);
	}

	@Property(tries = 3000)
	void readWhenAnyBytesAfterTheStringPrefixThenWhatJavaDeserializationReadsWholly(
			@ForAll @IntRange(max = 300) int anyLength, @ForAll boolean exactLength, @ForAll boolean ascii,
			@ForAll @Size(max = 300) byte[] anyBody) throws Exception {
		byte[] body = anyBody.clone();
		if (ascii) {
			for (int i = 0; i < body.length; i++) {
				body[i] = (byte) (1 + (body[i] & 0xFF) % 0x7F);
			}
		}
		int length = exactLength ? body.length : anyLength;
		byte[] bytes = concat(concat(PREFIX, new byte[] { (byte) (length >> 8), (byte) length }), body);
		String read = JavaSerializedStrings.read(bytes);
		if (read != null) {
			ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes));
			assertThat(in.readObject()).isEqualTo(read);
			assertThat(in.read()).isEqualTo(-1);
		}
		else {
			assertThat(length == body.length && allBetween(body, 1, 0x7F)).isFalse();
		}
	}

	private static boolean allBetween(byte[] bytes, int min, int max) {
		for (byte b : bytes) {
			if (b < min || b > max) {
				return false;
			}
		}
		return true;
	}

	@Test
	void readWhenTheStarterStateAsSpringSessionsRedisSerializerWritesItThenTheState() {
		String state = "3;1764633600000;1764634500000;1764633600000;4.7;203.0.113.9;PT1H,PT10M,-,PT5M,0,admins";
		byte[] bytes = new JdkSerializationRedisSerializer().serialize(state);
		assertThat(JavaSerializedStrings.read(bytes)).isEqualTo(state);
	}

	@Test
	void readWhenAnEmptyStringThenTheEmptyString() throws Exception {
		assertThat(JavaSerializedStrings.read(serialize(""))).isEmpty();
	}

	@Test
	void readWhenNotAStringThenNothing() throws Exception {
		assertThat(JavaSerializedStrings.read(serialize(42L))).isNull();
		assertThat(JavaSerializedStrings.read(serialize(Instant.EPOCH))).isNull();
		assertThat(JavaSerializedStrings.read(serialize(new Holder("text")))).isNull();
		assertThat(JavaSerializedStrings.read(serialize(new String[] { "text" }))).isNull();
		assertThat(JavaSerializedStrings.read(null)).isNull();
		assertThat(JavaSerializedStrings.read(new byte[0])).isNull();
		assertThat(JavaSerializedStrings.read("text".getBytes())).isNull();
	}

	@Test
	void readWhenACharacterOutsideU0001ToU007fThenNothing() throws Exception {
		assertThat(JavaSerializedStrings.read(serialize("caf\u00e9"))).isNull();
		assertThat(JavaSerializedStrings.read(serialize("a\u0000b"))).isNull();
		byte[] rawZero = serialize("a b");
		rawZero[8] = 0x00;
		assertThat(JavaSerializedStrings.read(rawZero)).isNull();
		assertThat(JavaSerializedStrings.read(serialize("\ud83d\ude00"))).isNull();
	}

	@Test
	void readWhenALongStringThenNothing() throws Exception {
		String string = "a".repeat(65536);
		assertThat(JavaSerializedStrings.read(serialize(string))).isNull();
		assertThat(deserialize(serialize(string))).isEqualTo(string);
	}

	@Test
	void readWhenTheBytesAreCutShortOrRunOnThenNothing() throws Exception {
		byte[] bytes = serialize("text");
		assertThat(JavaSerializedStrings.read(Arrays.copyOf(bytes, bytes.length - 1))).isNull();
		assertThat(JavaSerializedStrings.read(Arrays.copyOf(bytes, bytes.length + 1))).isNull();
		assertThat(JavaSerializedStrings.read(concat(bytes, serialize("more")))).isNull();
		assertThat(JavaSerializedStrings.read(Arrays.copyOf(bytes, 6))).isNull();
	}

	@Test
	void readWhenAnotherStreamVersionThenNothing() throws Exception {
		byte[] bytes = serialize("text");
		bytes[3] = 0x04;
		assertThat(JavaSerializedStrings.read(bytes)).isNull();
	}

	private static byte[] serialize(Object value) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		return bytes.toByteArray();
	}

	private static Object deserialize(byte[] bytes) throws Exception {
		try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
			return in.readObject();
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] bytes = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, bytes, first.length, second.length);
		return bytes;
	}

	private record Holder(String text) implements Serializable {
	}

}
