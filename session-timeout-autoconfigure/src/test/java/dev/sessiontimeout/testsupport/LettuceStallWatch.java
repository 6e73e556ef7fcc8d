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
package dev.sessiontimeout.testsupport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.DemandAware;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Watches the connections of an application's Lettuce client and reports a command that
 * stays unanswered for {@link #STALL} or longer, while it is still waiting: whether the
 * connection still reads ({@code autoRead}, which Lettuce turns off while a reactive
 * subscriber of a streamed reply has no demand), the last times reading went off and on
 * with the state of the command at the head, when it last read, the commands it waits
 * for, the threads at work and the requests not answered yet. It also writes down each
 * time Lettuce turns reading off while another thread takes a reply's entries (the race
 * the README's stopgap {@code LettuceReadingConfiguration} is for), and who turned
 * reading on again. Only reports, to standard output and {@code target/timeout-reports};
 * a test whose request waits in vain fails as it would, its digest then next to these.
 * Registered as a bean, it customizes the application's {@link ClientResources}.
 *
 * @author session-timeout
 */
public class LettuceStallWatch implements ClientResourcesBuilderCustomizer, DisposableBean {

	/**
	 * How long a command may wait for its reply before it is reported: far above what a
	 * command on a healthy local Redis takes, far below the tests' timeouts.
	 */
	public static final Duration STALL = Duration.ofSeconds(2);

	private static final AtomicInteger REPORTED = new AtomicInteger();

	private final Map<Channel, Watched> channels = new ConcurrentHashMap<>();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "lettuce-stall-watch");
		thread.setDaemon(true);
		return thread;
	});

	private final NettyCustomizer delegate;

	/**
	 * Create a watch, which looks at the connections four times a second.
	 * @param delegate what else customizes the connections of the application's client
	 * (Lettuce takes one {@link NettyCustomizer})
	 */
	public LettuceStallWatch(NettyCustomizer delegate) {
		this.delegate = delegate;
		this.timer.scheduleWithFixedDelay(this::check, 250, 250, TimeUnit.MILLISECONDS);
	}

	@Override
	public void customize(ClientResources.Builder builder) {
		builder.nettyCustomizer(new NettyCustomizer() {

			@Override
			public void afterBootstrapInitialized(Bootstrap bootstrap) {
				LettuceStallWatch.this.delegate.afterBootstrapInitialized(bootstrap);
			}

			@Override
			public void afterChannelInitialized(Channel channel) {
				LettuceStallWatch.this.delegate.afterChannelInitialized(channel);
				Watched watched = new Watched();
				LettuceStallWatch.this.channels.put(channel, watched);
				channel.pipeline().addFirst("sessionTimeoutStallWatch", new ChannelInboundHandlerAdapter() {

					@Override
					public void channelRead(ChannelHandlerContext context, Object message) {
						watched.lastRead = System.nanoTime();
						int bytes = (message instanceof ByteBuf buffer) ? buffer.readableBytes() : -1;
						context.fireChannelRead(message);
						if (!channel.config().isAutoRead()) {
							String head = head(channel.pipeline().get(CommandHandler.class));
							watched.event("autoRead off after reading " + bytes + " bytes; head " + head);
							if (head.contains("state=READING")) {
								// Lettuce's race: entries queued while another
								// thread takes them, which may not wake reading up
								long off = System.nanoTime();
								channel.eventLoop()
									.schedule(() -> write("lettuce-races.txt", Instant.now()
											+ " reading turned off while another thread took the entries (" + head
											+ "); 50 ms later: " + resumed(channel, watched, off) + "\n"), 50,
											TimeUnit.MILLISECONDS);
							}
						}
					}

					@Override
					public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
						boolean before = channel.config().isAutoRead();
						context.fireUserEventTriggered(event);
						if (!before && channel.config().isAutoRead()) {
							watched.wokenUp = System.nanoTime();
						}
						if (!before) {
							watched.event(event.getClass().getSimpleName() + " turned autoRead "
									+ (channel.config().isAutoRead() ? "on" : "still off"));
						}
					}

				});
				channel.closeFuture().addListener((closed) -> LettuceStallWatch.this.channels.remove(channel));
			}

		});
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

	private void check() {
		try {
			this.channels.forEach(this::check);
		}
		catch (RuntimeException ex) {
			// A racy look at another thread's queue: try again at the next tick
		}
	}

	private void check(Channel channel, Watched watched) {
		CommandHandler handler = channel.pipeline().get(CommandHandler.class);
		RedisCommand<?, ?, ?> head = (handler != null) ? handler.getStack().peek() : null;
		long now = System.nanoTime();
		if (head != watched.head) {
			if (watched.reported != null) {
				report(watched.reported + " ... the command was answered or dropped after "
						+ Duration.ofNanos(now - watched.since).toMillis() + " ms\n");
			}
			watched.head = head;
			watched.since = now;
			watched.reported = null;
			return;
		}
		if (head != null && watched.reported == null && now - watched.since >= STALL.toNanos()) {
			String name = "stall-" + REPORTED.incrementAndGet();
			watched.reported = name;
			report(describe(name, channel, watched, handler, now));
		}
	}

	private static String describe(String name, Channel channel, Watched watched, CommandHandler handler, long now) {
		StringBuilder text = new StringBuilder("=== ").append(name)
			.append(" at ")
			.append(Instant.now())
			.append(": a Redis command waits for its reply for ")
			.append(Duration.ofNanos(now - watched.since).toMillis())
			.append(" ms ===\n");
		text.append("channel ")
			.append(channel)
			.append(" active=")
			.append(channel.isActive())
			.append(" autoRead=")
			.append(channel.config().isAutoRead())
			.append(" writable=")
			.append(channel.isWritable())
			.append(" last read ")
			.append((watched.lastRead != 0) ? Duration.ofNanos(now - watched.lastRead).toMillis() + " ms ago" : "never")
			.append(" on event loop ")
			.append(channel.eventLoop())
			.append('\n');
		text.append("now ").append(now / 1_000_000).append(" ms; last changes of autoRead:\n");
		watched.events.forEach((event) -> text.append("  ").append(event).append('\n'));
		List<RedisCommand<?, ?, ?>> stack = new ArrayList<>(handler.getStack());
		text.append("commands waiting: ").append(stack.size()).append('\n');
		stack.stream().limit(8).forEach((command) -> text.append("  ").append(describe(command)).append('\n'));
		text.append("requests not answered yet: ").append(InFlightRequests.describe());
		for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, 12)) {
			StackTraceElement[] frames = thread.getStackTrace();
			String threadName = thread.getThreadName();
			if (frames.length > 0 && (threadName.contains("lettuce") || threadName.contains("reactor-http")
					|| threadName.contains("parallel") || threadName.contains("boundedElastic"))) {
				text.append("thread ")
					.append(threadName)
					.append(' ')
					.append(thread.getThreadState())
					.append(": ")
					.append(Arrays.stream(frames).limit(6).map(String::valueOf).collect(Collectors.joining(" < ")))
					.append('\n');
			}
		}
		return text.toString();
	}

	private static String resumed(Channel channel, Watched watched, long off) {
		if (!channel.config().isAutoRead()) {
			return "reading still off";
		}
		return (watched.wokenUp - off > 0) ? "reading on again, woken up by Lettuce"
				: "reading on again without Lettuce waking it up (the stopgap)";
	}

	private static String head(CommandHandler handler) {
		RedisCommand<?, ?, ?> head = (handler != null) ? handler.getStack().peek() : null;
		return (head != null) ? describe(head) : "none";
	}

	private static String describe(RedisCommand<?, ?, ?> command) {
		StringBuilder text = new StringBuilder(String.valueOf(command.getType()));
		text.append(" done=").append(command.isDone()).append(" as ").append(command.getClass().getName());
		if (command instanceof DemandAware.Sink sink) {
			text.append(" demand=").append(sink.hasDemand()).append(subscription(command));
		}
		RedisCommand<?, ?, ?> inner = CommandWrapper.unwrap(command);
		if (inner != command) {
			text.append(" wrapping ").append(inner.getClass().getName());
		}
		return text.toString();
	}

	/**
	 * The state of the reactive subscription of a command, read from Lettuce's internals.
	 */
	private static String subscription(Object command) {
		try {
			Object subscription = field(command, "subscription");
			Object data = field(subscription, "data");
			return " subscription state=" + field(subscription, "state") + " demand=" + field(subscription, "demand")
					+ " queued=" + ((java.util.Collection<?>) data).size() + " allDataRead="
					+ field(subscription, "allDataRead") + " source=" + (field(command, "source") != null);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return " (subscription not read: " + ex + ")";
		}
	}

	private static Object field(Object target, String name) throws ReflectiveOperationException {
		for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
			try {
				java.lang.reflect.Field field = type.getDeclaredField(name);
				field.setAccessible(true);
				return field.get(target);
			}
			catch (NoSuchFieldException ex) {
				// look in the superclass
			}
		}
		throw new NoSuchFieldException(name);
	}

	private static void report(String text) {
		System.out.println(text);
		write("lettuce-stalls.txt", text);
	}

	private static void write(String file, String text) {
		try {
			Files.createDirectories(DiagnoseTimeouts.REPORTS);
			Files.writeString(DiagnoseTimeouts.REPORTS.resolve(file), text, StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			System.out.println("Not written down: " + text + " (" + ex + ")");
		}
	}

	private static final class Watched {

		volatile long lastRead;

		volatile long wokenUp;

		private final java.util.Deque<String> events = new java.util.concurrent.ConcurrentLinkedDeque<>();

		void event(String event) {
			this.events.add(System.nanoTime() / 1_000_000 + " ms " + Thread.currentThread().getName() + ": " + event);
			while (this.events.size() > 16) {
				this.events.poll();
			}
		}

		RedisCommand<?, ?, ?> head;

		long since;

		String reported;

	}

	/**
	 * The README's stopgap {@code LettuceReadingConfiguration.ResumeReading}, compiled
	 * from the README as a user would copy it.
	 * @return the stopgap's customizer
	 */
	public static NettyCustomizer readmeResumeReading() {
		return (NettyCustomizer) BeanUtils.instantiateClass(
				ReadmeSnippets.compiled().load("com.example.demo.LettuceReadingConfiguration$ResumeReading"));
	}

	/**
	 * What every WebFlux test application on Redis imports: the README's stopgap for
	 * Lettuce leaving a connection's reading off (its WebFlux section), which any such
	 * application needs, with a watch that reports any command still waiting for its
	 * reply after {@link #STALL}. Without it a test's request can wait for the client's
	 * command timeout and fail on the test's own timeout, with nothing said of why.
	 */
	@Configuration(proxyBeanMethods = false)
	public static class WithReadmeStopgap {

		@Bean
		LettuceStallWatch lettuceStallWatch() {
			return new LettuceStallWatch(readmeResumeReading());
		}

	}

}
