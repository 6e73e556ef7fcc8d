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

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Loads every class of the test class path itself, apart from the JDK's, as a WebFlux
 * application does: without the servlet API, neither {@code jakarta.servlet} nor the
 * class path entries that carry it (Tomcat's core), so that what needs it fails to load
 * and Spring Boot finds no servlet stack. A test hands objects in and out of it only as
 * JDK types: its own classes are other classes than the test's.
 */
public final class WithoutServletApiClassLoader extends URLClassLoader {

	/**
	 * Create a class loader of the test class path without the servlet API.
	 */
	public WithoutServletApiClassLoader() {
		super(classPath(), ClassLoader.getPlatformClassLoader());
	}

	/**
	 * Create an instance of the given class, as this class loader loads it, with the
	 * constructor that takes the given JDK types, and make this class loader the thread's
	 * context class loader until {@link #close()}.
	 * @param type the class, its name is what counts
	 * @param parameterTypes the constructor's parameter types, JDK types
	 * @param arguments the constructor's arguments
	 * @return the instance
	 * @throws Exception if the class cannot be loaded or instantiated, or its constructor
	 * fails
	 */
	public Object newInstance(Class<?> type, Class<?>[] parameterTypes, Object... arguments) throws Exception {
		Class<?> loaded = loadClass(type.getName());
		if (loaded.getClassLoader() != this) {
			throw new IllegalStateException(type + " is not loaded by " + this);
		}
		Thread.currentThread().setContextClassLoader(this);
		try {
			return loaded.getDeclaredConstructor(parameterTypes).newInstance(arguments);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception exception) {
				throw exception;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	@Override
	protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
		if (name.startsWith("jakarta.servlet.")) {
			throw new ClassNotFoundException(name);
		}
		return super.loadClass(name, resolve);
	}

	@Override
	public URL getResource(String name) {
		return name.startsWith("jakarta/servlet/") ? null : super.getResource(name);
	}

	private static URL[] classPath() {
		List<URL> urls = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			File file = new File(entry);
			if (carriesTheServletApi(file)) {
				continue;
			}
			try {
				urls.add(file.toURI().toURL());
			}
			catch (MalformedURLException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return urls.toArray(URL[]::new);
	}

	private static boolean carriesTheServletApi(File entry) {
		if (entry.isDirectory()) {
			return Files.isDirectory(Path.of(entry.getPath(), "jakarta", "servlet"));
		}
		if (!entry.isFile()) {
			return false;
		}
		try (JarFile jar = new JarFile(entry)) {
			return jar.getEntry("jakarta/servlet/Servlet.class") != null;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
