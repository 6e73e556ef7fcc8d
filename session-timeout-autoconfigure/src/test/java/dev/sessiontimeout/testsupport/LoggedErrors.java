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

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Records the errors an application logs, for the tests of
 * {@link WithoutServletApiClassLoader}: a {@code NoClassDefFoundError} on a reactive path
 * is often only logged (Reactor warns of it as a fatal error, and the client sees no
 * answer).
 */
public final class LoggedErrors {

	private LoggedErrors() {
	}

	/**
	 * Record every error logged from now on, and every warning about an {@link Error},
	 * with the messages of its causes.
	 * @return the live list of the errors
	 */
	public static List<String> record() {
		List<String> errors = new CopyOnWriteArrayList<>();
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				StringBuilder error = new StringBuilder(event.getFormattedMessage());
				boolean fatal = false;
				for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
					error.append(" / ").append(cause.getClassName()).append(": ").append(cause.getMessage());
					fatal = fatal || cause.getClassName().endsWith("Error");
				}
				if (!fatal && event.getLevel().toInt() < Level.ERROR_INT) {
					return;
				}
				errors.add(error.toString());
			}

		};
		appender.setContext(logging);
		appender.start();
		logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
		return errors;
	}

}
