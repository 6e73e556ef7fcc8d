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
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Java code blocks of the repository's README, compiled against this module's test
 * classpath, so that tests prove that what the README shows compiles and works. Each
 * block is one compilation unit with a package declaration. The section "Testing your
 * application" is left to the test support module, whose classpath its code needs.
 */
public final class ReadmeSnippets {

	/**
	 * The README of the repository, beside this module.
	 */
	public static final Path README = Path.of("..", "README.md");

	private static final String EXCLUDED_SECTION = "## Testing your application";

	private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	private static final Pattern TYPE = Pattern.compile(
			"^(?:public\\s+)?(?:final\\s+|abstract\\s+)?(?:class|interface|record|enum)\\s+(\\w+)", Pattern.MULTILINE);

	private static ReadmeSnippets compiled;

	private final List<Block> blocks;

	private final ClassLoader classLoader;

	private ReadmeSnippets(List<Block> blocks, ClassLoader classLoader) {
		this.blocks = blocks;
		this.classLoader = classLoader;
	}

	/**
	 * Return the README's Java code, compiled once per test JVM.
	 * @return the compiled code
	 */
	public static synchronized ReadmeSnippets compiled() {
		if (compiled == null) {
			try {
				List<Block> blocks = javaBlocks(Files.readAllLines(README, StandardCharsets.UTF_8));
				compiled = new ReadmeSnippets(blocks,
						compile(blocks, Files.createTempDirectory("session-timeout-readme")));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return compiled;
	}

	/**
	 * Return the Java code blocks of the README, but those of the excluded section.
	 * @return the blocks
	 */
	public List<Block> blocks() {
		return this.blocks;
	}

	/**
	 * Load a top-level type that a README code block declares.
	 * @param className the fully qualified name
	 * @return the class
	 */
	public Class<?> load(String className) {
		try {
			return Class.forName(className, true, this.classLoader);
		}
		catch (ClassNotFoundException ex) {
			throw new AssertionError("The README declares no type " + className + ": "
					+ this.blocks.stream().map(Block::className).toList(), ex);
		}
	}

	/**
	 * Return the class loader of the compiled code, whose parent is this test's.
	 * @return the class loader
	 */
	public ClassLoader classLoader() {
		return this.classLoader;
	}

	static List<Block> javaBlocks(List<String> lines) {
		List<Block> blocks = new ArrayList<>();
		StringBuilder code = null;
		String indent = "";
		int firstLine = 0;
		boolean excluded = false;
		for (int index = 0; index < lines.size(); index++) {
			String line = lines.get(index);
			if (code == null) {
				if (line.startsWith("## ")) {
					excluded = line.equals(EXCLUDED_SECTION);
				}
				if (!excluded && line.strip().equals("```java")) {
					code = new StringBuilder();
					indent = line.substring(0, line.indexOf('`'));
					firstLine = index + 2;
				}
			}
			else if (line.strip().equals("```")) {
				blocks.add(Block.of(firstLine, code.toString()));
				code = null;
			}
			else {
				code.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
			}
		}
		if (code != null) {
			throw new AssertionError("The code block at README.md:" + firstLine + " does not end");
		}
		return blocks;
	}

	private static ClassLoader compile(List<Block> blocks, Path work) throws IOException {
		Path sources = Files.createDirectories(work.resolve("sources"));
		Path classes = Files.createDirectories(work.resolve("classes"));
		Map<Path, Block> files = new LinkedHashMap<>();
		for (Block block : blocks) {
			Path file = sources.resolve(block.className().replace('.', '/') + ".java");
			Files.createDirectories(file.getParent());
			Files.writeString(file, block.code());
			files.put(file.toAbsolutePath().normalize(), block);
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("--release", "17", "-proc:none",
					"-Xlint:deprecation,removal,unchecked,rawtypes", "-Werror", "-parameters", "-classpath",
					System.getProperty("java.class.path"), "-d", classes.toString());
			boolean success = compiler
				.getTask(null, fileManager, diagnostics, options, null,
						fileManager.getJavaFileObjectsFromPaths(files.keySet()))
				.call();
			if (!success) {
				throw new AssertionError("The Java code of the README does not compile:\n"
						+ describe(diagnostics.getDiagnostics(), files));
			}
		}
		try {
			return new URLClassLoader(new URL[] { classes.toUri().toURL() }, ReadmeSnippets.class.getClassLoader());
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics, Map<Path, Block> files) {
		return diagnostics.stream().map((diagnostic) -> {
			Block block = (diagnostic.getSource() != null)
					? files.get(Path.of(diagnostic.getSource().toUri()).toAbsolutePath().normalize()) : null;
			String where = (block != null) ? "README.md:" + (block.firstLine() + diagnostic.getLineNumber() - 1)
					: "README.md";
			return where + ": " + diagnostic.getKind() + ": " + diagnostic.getMessage(Locale.ROOT);
		}).collect(Collectors.joining("\n"));
	}

	/**
	 * A Java code block of the README.
	 *
	 * @param firstLine the line of README.md of its first line of code
	 * @param code the code
	 * @param className the fully qualified name of its top-level type
	 */
	public record Block(int firstLine, String code, String className) {

		static Block of(int firstLine, String code) {
			return new Block(firstLine, code, find(PACKAGE, code, firstLine) + "." + find(TYPE, code, firstLine));
		}

		private static String find(Pattern pattern, String code, int firstLine) {
			Matcher matcher = pattern.matcher(code);
			if (!matcher.find()) {
				throw new AssertionError("The Java code block at README.md:" + firstLine
						+ " is not a compilation unit with a package and a type: " + pattern);
			}
			return matcher.group(1);
		}

	}

}
