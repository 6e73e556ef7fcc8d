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
package dev.sessiontimeout.benchmarks;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.jspecify.annotations.Nullable;

/**
 * What a session store holds of one session, and how much of it is the starter's: the
 * attributes whose names start with {@value #STARTER_PREFIX}, each counted as the bytes
 * of its name (without Spring Session's {@code sessionAttr:} prefix on Redis) plus the
 * bytes of its stored value.
 *
 * @author session-timeout
 */
final class StoredSessionBytes {

	/**
	 * The prefix of the names of the starter's session attributes.
	 */
	static final String STARTER_PREFIX = "dev.sessiontimeout";

	/**
	 * The prefix of the hash fields that hold session attributes in Spring Session Data
	 * Redis.
	 */
	static final String REDIS_ATTRIBUTE_PREFIX = "sessionAttr:";

	/**
	 * The name and the length in bytes of the stored value of each attribute of a
	 * session, by session id, in Spring Session JDBC's default tables.
	 */
	static final String JDBC_ATTRIBUTES_QUERY = "SELECT a.ATTRIBUTE_NAME, OCTET_LENGTH(a.ATTRIBUTE_BYTES)"
			+ " FROM SPRING_SESSION_ATTRIBUTES a JOIN SPRING_SESSION s ON s.PRIMARY_ID = a.SESSION_PRIMARY_ID"
			+ " WHERE s.SESSION_ID = ?";

	private StoredSessionBytes() {
	}

	/**
	 * Read a session from Spring Session Data Redis (either repository type).
	 * @param redis a connection that reads keys and values as raw bytes
	 * @param namespace the key namespace of the process
	 * @param sessionId the session id
	 * @return what the store holds, or {@code null} if it holds no such session
	 */
	static @Nullable Report redis(RedisCommands<byte[], byte[]> redis, String namespace, String sessionId) {
		byte[] key = utf8(namespace + ":sessions:" + sessionId);
		Map<byte[], byte[]> hash = redis.hgetall(key);
		if (hash == null || hash.isEmpty()) {
			return null;
		}
		List<Attribute> starter = new ArrayList<>();
		long total = 0;
		for (Map.Entry<byte[], byte[]> field : hash.entrySet()) {
			String name = new String(field.getKey(), StandardCharsets.UTF_8);
			total += field.getKey().length + field.getValue().length;
			if (name.startsWith(REDIS_ATTRIBUTE_PREFIX + STARTER_PREFIX)) {
				String attribute = name.substring(REDIS_ATTRIBUTE_PREFIX.length());
				starter.add(new Attribute(attribute, utf8(attribute).length, field.getValue().length));
			}
		}
		starter.sort(Comparator.comparing(Attribute::name));
		return new Report(starter, hash.size(), total, memoryUsage(redis, key));
	}

	/**
	 * Return what Redis says the key takes, every field of it counted: without
	 * {@code SAMPLES 0}, {@code MEMORY USAGE} adds up the first five fields of a hash
	 * stored as a hash table (any field over 64 bytes, such as the security context,
	 * makes it one) and multiplies their mean by the number of fields, which comes out
	 * far above or below the truth, as a large field is among those five or not.
	 */
	private static @Nullable Long memoryUsage(RedisCommands<byte[], byte[]> redis, byte[] key) {
		return redis.dispatch(CommandType.MEMORY, new IntegerOutput<>(ByteArrayCodec.INSTANCE),
				new CommandArgs<>(ByteArrayCodec.INSTANCE).add("USAGE").addKey(key).add("SAMPLES").add(0));
	}

	/**
	 * Describe a session from its attributes as Spring Session JDBC holds them.
	 * @param attributes the length of each attribute's stored bytes, by name
	 * @return what the store holds, or {@code null} if it holds no attributes
	 */
	static @Nullable Report jdbc(Map<String, Integer> attributes) {
		if (attributes.isEmpty()) {
			return null;
		}
		List<Attribute> starter = new ArrayList<>();
		long total = 0;
		for (Map.Entry<String, Integer> attribute : attributes.entrySet()) {
			int nameBytes = utf8(attribute.getKey()).length;
			total += nameBytes + attribute.getValue();
			if (attribute.getKey().startsWith(STARTER_PREFIX)) {
				starter.add(new Attribute(attribute.getKey(), nameBytes, attribute.getValue()));
			}
		}
		starter.sort(Comparator.comparing(Attribute::name));
		return new Report(starter, attributes.size(), total, null);
	}

	/**
	 * Read the attributes of a session from Spring Session JDBC's tables.
	 * @param url the JDBC URL, naming the process's schema
	 * @param user the database user
	 * @param password the password
	 * @param sessionId the session id
	 * @return the length of each attribute's stored bytes, by name
	 * @throws SQLException if the database cannot be read
	 */
	static Map<String, Integer> jdbcAttributes(String url, String user, String password, String sessionId)
			throws SQLException {
		Map<String, Integer> attributes = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection(url, user, password);
				PreparedStatement statement = connection.prepareStatement(JDBC_ATTRIBUTES_QUERY)) {
			statement.setString(1, sessionId);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					attributes.put(rows.getString(1), rows.getInt(2));
				}
			}
		}
		return attributes;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * One of the starter's attributes as stored.
	 *
	 * @param name the attribute name
	 * @param nameBytes the bytes of the name
	 * @param valueBytes the bytes of the stored value
	 */
	record Attribute(String name, int nameBytes, int valueBytes) {

	}

	/**
	 * What a store holds of one session.
	 *
	 * @param starter the starter's attributes
	 * @param fields how many fields (Redis) or attributes (JDBC) the session has in all
	 * @param bytes the bytes of all of their names and values
	 * @param memoryUsage what Redis' {@code MEMORY USAGE ... SAMPLES 0} says of the
	 * session's key, {@code null} for another store
	 */
	record Report(List<Attribute> starter, int fields, long bytes, @Nullable Long memoryUsage) {

		long starterBytes() {
			return this.starter.stream().mapToLong((attribute) -> attribute.nameBytes() + attribute.valueBytes()).sum();
		}

	}

}
