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
package dev.sessiontimeout.reactive;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sessiontimeout.testsupport.LettuceStallWatch;
import dev.sessiontimeout.testsupport.RedisServers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The README's stopgap for Lettuce leaving a connection's reading off
 * ({@code LettuceReadingConfiguration.ResumeReading}, in its WebFlux section): the state
 * that Lettuce's race leaves behind, reading off in the middle of a streamed reply whose
 * subscriber waits for more, is made here on purpose after the first read of an
 * {@code HGETALL} reply that takes many reads. Without the stopgap the reply waits for
 * the command timeout; with it, it arrives.
 */
class LettuceResumeReadingTests {

	private static final String KEY = "session-timeout-tests:resume-reading:" + UUID.randomUUID();

	private final Map<String, String> hash = new LinkedHashMap<>();

	private ClientResources resources;

	private RedisClient client;

	/**
	 * Return the README's stopgap, compiled from the README.
	 * @return the customizer of Lettuce's connections
	 */
	@AfterEach
	void close() {
		if (this.client != null) {
			try (StatefulRedisConnection<String, String> connection = this.client.connect()) {
				connection.sync().del(KEY);
			}
			this.client.shutdown();
		}
		if (this.resources != null) {
			this.resources.shutdown();
		}
	}

	@Test
	void aStreamedReplyWhoseReadingWasLeftOffArrivesWithTheStopgap() throws Exception {
		List<KeyValue<String, String>> reply = readWithReadingLeftOff(LettuceStallWatch.readmeResumeReading()).get(5,
				TimeUnit.SECONDS);
		assertThat(reply).hasSize(this.hash.size());
	}

	@Test
	void aStreamedReplyWhoseReadingWasLeftOffWaitsWithoutTheStopgap() {
		CompletableFuture<List<KeyValue<String, String>>> reply = readWithReadingLeftOff(new NettyCustomizer() {
		});
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> reply.get(1, TimeUnit.SECONDS));
	}

	/**
	 * Read a hash whose reply takes many reads, with reading turned off after the first,
	 * as Lettuce leaves it when it loses the wake-up of a subscriber that takes the
	 * entries on another thread. The subscriber has asked for everything before the first
	 * byte of the reply is read (reading is off until then), so nothing but the stopgap
	 * turns reading on again.
	 */
	private CompletableFuture<List<KeyValue<String, String>>> readWithReadingLeftOff(NettyCustomizer stopgap) {
		AtomicBoolean armed = new AtomicBoolean();
		AtomicReference<Channel> connected = new AtomicReference<>();
		this.resources = ClientResources.builder().nettyCustomizer(new NettyCustomizer() {

			@Override
			public void afterChannelInitialized(Channel channel) {
				connected.set(channel);
				channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(64));
				channel.pipeline().addFirst(new ChannelInboundHandlerAdapter() {

					@Override
					public void channelRead(ChannelHandlerContext context, Object message) {
						context.fireChannelRead(message);
						CommandHandler commands = channel.pipeline().get(CommandHandler.class);
						RedisCommand<?, ?, ?> head = commands.getStack().peek();
						if (head != null && head.getType() == CommandType.HGETALL && armed.compareAndSet(true, false)) {
							channel.config().setAutoRead(false);
						}
					}

				});
				stopgap.afterChannelInitialized(channel);
			}

		}).build();
		RedisServers.Endpoint redis = RedisServers.get();
		this.client = RedisClient.create(this.resources,
				RedisURI.builder()
					.withHost(redis.host())
					.withPort(redis.port())
					.withTimeout(Duration.ofSeconds(30))
					.build());
		StatefulRedisConnection<String, String> connection = this.client.connect();
		for (int i = 0; i < 20; i++) {
			this.hash.put("attribute" + i, "x".repeat(100));
		}
		connection.sync().hset(KEY, this.hash);
		Channel channel = connected.get();
		channel.eventLoop().submit(() -> channel.config().setAutoRead(false)).syncUninterruptibly();
		CompletableFuture<List<KeyValue<String, String>>> reply = connection.reactive()
			.hgetall(KEY)
			.collectList()
			.toFuture();
		armed.set(true);
		channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
		return reply;
	}

}
