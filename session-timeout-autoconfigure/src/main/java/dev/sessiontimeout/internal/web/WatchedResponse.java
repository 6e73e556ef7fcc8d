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

import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Supplier;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import dev.sessiontimeout.ExpiryReason;
import dev.sessiontimeout.internal.session.SessionWatch;

/**
 * The response of a request whose session the clocks decided to serve: once the request
 * went asynchronous (server-sent events, a streamed body, a deferred result), every write
 * and flush asks the {@link SessionWatch} first and fails with an {@link IOException}
 * when the session ended or its user must authenticate again, so that nothing more is
 * written. What the request writes within its own dispatch was decided at its start.
 *
 * @author session-timeout
 */
final class WatchedResponse extends HttpServletResponseWrapper {

	private @Nullable Supplier<SessionWatch> watchSource;

	private volatile @Nullable SessionWatch watch;

	private volatile boolean watching;

	private volatile @Nullable AsyncContext asyncContext;

	private volatile boolean stopped;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable PrintWriter writer;

	WatchedResponse(HttpServletResponse response) {
		super(response);
	}

	/**
	 * Set what makes the watch to ask once the request goes asynchronous: most requests
	 * never do, so the watch is made then, from what was known when the clocks decided to
	 * serve the request. A response without one writes through, whatever happens.
	 * @param watchSource makes the watch over the session of the request
	 */
	void watchWith(Supplier<SessionWatch> watchSource) {
		this.watchSource = watchSource;
	}

	/**
	 * Return whether this response is watched once its request goes asynchronous: the
	 * clocks decided to serve its session.
	 * @return {@code true} if it is watched
	 */
	boolean isWatched() {
		return this.watchSource != null;
	}

	/**
	 * Start asking the watch before each write: the request went asynchronous, so its
	 * response outlives the decision to serve it.
	 * @param asyncContext the request's asynchronous context, completed when the watch
	 * stops the response, so that the client sees its end
	 * @return the watch, made at the first call, or {@code null} if the response is not
	 * watched
	 */
	@Nullable SessionWatch startWatching(AsyncContext asyncContext) {
		Supplier<SessionWatch> watchSource = this.watchSource;
		if (watchSource == null) {
			return null;
		}
		SessionWatch watch = this.watch;
		if (watch == null) {
			watch = watchSource.get();
			this.watch = watch;
		}
		this.asyncContext = asyncContext;
		this.watching = true;
		return watch;
	}

	/**
	 * Stop asking the watch, so that the answer to a response whose session can no longer
	 * serve it can be written.
	 * @param response a response, wrapped any number of times
	 */
	static void answer(ServletResponse response) {
		ServletResponse current = response;
		while (current instanceof ServletResponseWrapper wrapper) {
			if (current instanceof WatchedResponse watched) {
				watched.watching = false;
				return;
			}
			current = wrapper.getResponse();
		}
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		ServletOutputStream outputStream = this.outputStream;
		if (outputStream == null) {
			outputStream = new WatchedOutputStream(super.getOutputStream());
			this.outputStream = outputStream;
		}
		return outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		PrintWriter writer = this.writer;
		if (writer == null) {
			writer = new WatchedWriter(super.getWriter());
			this.writer = writer;
		}
		return writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		check();
		super.flushBuffer();
	}

	private void check() throws IOException {
		SessionWatch watch = this.watch;
		if (!this.watching || watch == null) {
			return;
		}
		ExpiryReason reason;
		try {
			reason = watch.check();
		}
		catch (RuntimeException ex) {
			end();
			throw new IOException("The session store did not answer, so this response writes nothing more", ex);
		}
		if (reason != null) {
			end();
			throw new IOException("The session of this response can no longer be used (" + reason.value()
					+ "), so it writes nothing more");
		}
	}

	private boolean isStopped() {
		return this.stopped;
	}

	private void end() {
		this.stopped = true;
		AsyncContext asyncContext = this.asyncContext;
		this.asyncContext = null;
		if (asyncContext != null) {
			try {
				asyncContext.complete();
			}
			catch (IllegalStateException ex) {
				// Already completed or dispatched
			}
		}
	}

	private final class WatchedOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		WatchedOutputStream(ServletOutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(int b) throws IOException {
			check();
			this.delegate.write(b);
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			check();
			this.delegate.write(b, off, len);
		}

		@Override
		public void flush() throws IOException {
			check();
			this.delegate.flush();
		}

		@Override
		public void close() throws IOException {
			if (!isStopped()) {
				this.delegate.close();
			}
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener writeListener) {
			this.delegate.setWriteListener(writeListener);
		}

	}

	/**
	 * The container's writer, asked through the watch: a refused write sets the error
	 * flag, as a failed write of the container's own writer does, and
	 * {@link #checkError()} still reports a client that went away.
	 */
	private final class WatchedWriter extends PrintWriter {

		private final PrintWriter delegate;

		WatchedWriter(PrintWriter delegate) {
			super(delegate);
			this.delegate = delegate;
		}

		@Override
		public void write(int c) {
			if (mayWrite()) {
				this.delegate.write(c);
			}
		}

		@Override
		public void write(char[] chars, int off, int len) {
			if (mayWrite()) {
				this.delegate.write(chars, off, len);
			}
		}

		@Override
		public void write(String string, int off, int len) {
			if (mayWrite()) {
				this.delegate.write(string, off, len);
			}
		}

		@Override
		public void println() {
			if (mayWrite()) {
				super.println();
			}
		}

		@Override
		public void flush() {
			if (mayWrite()) {
				this.delegate.flush();
			}
		}

		@Override
		public void close() {
			if (!isStopped()) {
				this.delegate.close();
			}
		}

		@Override
		public boolean checkError() {
			return isStopped() || this.delegate.checkError();
		}

		private boolean mayWrite() {
			try {
				check();
				return true;
			}
			catch (IOException ex) {
				setError();
				return false;
			}
		}

	}

}
