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
package dev.sessiontimeout.test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Java code of the README's "Testing your application" section compiles against the
 * test classpath of this module, as a user's test would, and its tests pass when the
 * JUnit Platform runs them (against {@code com.example.demo.DemoApplication}).
 */
class ReadmeTestingSectionTests {

	private static final Path README = Path.of("..", "README.md");

	private static final String SECTION = "## Testing your application";

	private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

	private static final Pattern TYPE = Pattern.compile(
			"^(?:public\\s+)?(?:final\\s+|abstract\\s+)?(?:class|interface|record|enum)\\s+(\\w+)", Pattern.MULTILINE);

	@TempDir
	Path work;

	@Test
	void javaCodeOfTheSectionCompilesAndItsTestsPass() throws IOException {
		assertThat(README).as("README.md of the repository, beside this module").isRegularFile();
		List<CodeBlock> blocks = javaBlocks(Files.readAllLines(README, StandardCharsets.UTF_8), SECTION);
		assertThat(blocks).as("Java code blocks in the README section '%s'", SECTION).isNotEmpty();
		run(compile(blocks));
	}

	@Test
	void javaBlocksAreTheJavaCodeOfTheSectionOnly() {
		List<String> markdown = List.of("# Title", "```java", "class Before {}", "```", SECTION, "Text.", "```xml",
				"<xml/>", "```", "```java", "class One {", "}", "```", "### Subsection", "```java",
				"// ## not a heading", "class Two {}", "```", "## Next section", "```java", "class After {}", "```");
		assertThat(javaBlocks(markdown, SECTION)).containsExactly(new CodeBlock(11, "class One {\n}\n"),
				new CodeBlock(16, "// ## not a heading\nclass Two {}\n"));
	}

	@Test
	void codeThatDoesNotCompileFailsWithTheCompilerDiagnosticsAtItsReadmeLine() {
		CodeBlock broken = new CodeBlock(40,
				"package example;\n\nclass Broken {\n\n\tvoid run() {\n\t\tundefined();\n\t}\n\n}\n");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> compile(List.of(broken)))
			.withMessageContaining("README.md:45: ERROR: ")
			.withMessageContaining("cannot find symbol");
	}

	@Test
	void aFailingTestFailsWithItsFailure() throws IOException {
		CodeBlock failing = new CodeBlock(1, """
				package example;

				import org.junit.jupiter.api.Test;

				import static org.assertj.core.api.Assertions.assertThat;

				class FailingTests {

					@Test
					void fails() {
						assertThat("idle").isEqualTo("absolute");
					}

				}
				""");
		List<String> classNames = compile(List.of(failing));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> run(classNames))
			.withMessageContaining("FailingTests")
			.withMessageContaining("\"absolute\"");
	}

	/**
	 * Return the Java code blocks of a second-level section of a Markdown document, up to
	 * the next second-level heading.
	 * @param lines the lines of the document
	 * @param heading the heading line of the section
	 * @return the code blocks, each with the line number of its first line of code
	 */
	static List<CodeBlock> javaBlocks(List<String> lines, String heading) {
		int start = lines.indexOf(heading);
		assertThat(start).as("the heading '%s' in README.md", heading).isNotNegative();
		List<CodeBlock> blocks = new ArrayList<>();
		StringBuilder code = null;
		int firstLine = 0;
		for (int index = start + 1; index < lines.size(); index++) {
			String line = lines.get(index);
			if (code == null) {
				if (line.startsWith("## ")) {
					break;
				}
				if (line.strip().equals("```java")) {
					code = new StringBuilder();
					firstLine = index + 2;
				}
			}
			else if (line.strip().equals("```")) {
				blocks.add(new CodeBlock(firstLine, code.toString()));
				code = null;
			}
			else {
				code.append(line).append('\n');
			}
		}
		assertThat(code).as("the end of the code block that starts at README.md:%d", firstLine).isNull();
		return blocks;
	}

	/**
	 * Compile the code blocks against this test's classpath, failing with the compiler's
	 * diagnostics, located at their README line, if they do not compile.
	 * @param blocks the code blocks, one compilation unit each
	 * @return the names of the top-level types of the blocks
	 * @throws IOException if the sources cannot be written
	 */
	List<String> compile(List<CodeBlock> blocks) throws IOException {
		Path sources = Files.createDirectories(this.work.resolve("sources"));
		Path classes = Files.createDirectories(this.work.resolve("classes"));
		Map<Path, CodeBlock> files = new LinkedHashMap<>();
		List<String> classNames = new ArrayList<>();
		for (CodeBlock block : blocks) {
			String packageName = block.find(PACKAGE, "package declaration");
			String typeName = block.find(TYPE, "top-level type");
			Path file = sources.resolve(packageName.replace('.', '/')).resolve(typeName + ".java");
			Files.createDirectories(file.getParent());
			Files.writeString(file, block.code());
			files.put(file.toAbsolutePath().normalize(), block);
			classNames.add(packageName + "." + typeName);
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8)) {
			List<String> options = List.of("--release", "17", "-proc:none",
					"-Xlint:deprecation,removal,unchecked,rawtypes", "-Werror", "-classpath",
					System.getProperty("java.class.path"), "-d", classes.toString());
			boolean compiled = compiler
				.getTask(null, fileManager, diagnostics, options, null,
						fileManager.getJavaFileObjectsFromPaths(files.keySet()))
				.call();
			if (!compiled) {
				fail("The Java code of the README section '%s' does not compile:%n%s", SECTION,
						describe(diagnostics.getDiagnostics(), files));
			}
		}
		return classNames;
	}

	private static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics, Map<Path, CodeBlock> files) {
		StringBuilder description = new StringBuilder();
		for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
			if (diagnostic.getKind() == Diagnostic.Kind.NOTE) {
				continue;
			}
			CodeBlock block = (diagnostic.getSource() != null)
					? files.get(Path.of(diagnostic.getSource().toUri()).toAbsolutePath().normalize()) : null;
			description
				.append((block != null) ? "README.md:" + (block.line() + diagnostic.getLineNumber() - 1) : "javac")
				.append(": ")
				.append(diagnostic.getKind())
				.append(": ")
				.append(diagnostic.getMessage(Locale.ROOT))
				.append(System.lineSeparator());
		}
		return description.toString();
	}

	/**
	 * Run the tests of the compiled classes on the JUnit Platform, failing unless they
	 * all pass.
	 * @param classNames the names of the classes
	 * @throws IOException if the classes cannot be found
	 */
	void run(List<String> classNames) throws IOException {
		URL classes = this.work.resolve("classes").toUri().toURL();
		// Not closed: the test framework caches the application context of the tests
		ClassLoader loader = new URLClassLoader(new URL[] { classes }, getClass().getClassLoader());
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(loader);
		try {
			List<DiscoverySelector> selectors = classNames.stream()
				.map((name) -> (DiscoverySelector) DiscoverySelectors.selectClass(loader, name))
				.toList();
			LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
			Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
				.enableTestExecutionListenerAutoRegistration(false)
				.enableLauncherSessionListenerAutoRegistration(false)
				.build());
			SummaryGeneratingListener listener = new SummaryGeneratingListener();
			launcher.execute(request, listener);
			TestExecutionSummary summary = listener.getSummary();
			StringWriter failures = new StringWriter();
			summary.printFailuresTo(new PrintWriter(failures), 30);
			assertThat(summary.getTestsFoundCount()).as("tests in %s", classNames).isPositive();
			assertThat(summary.getTotalFailureCount()).as("failures of the tests in %s:%n%s", classNames, failures)
				.isZero();
			assertThat(summary.getTestsSucceededCount()).as("tests in %s that passed", classNames)
				.isEqualTo(summary.getTestsFoundCount());
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	/**
	 * A fenced Java code block of the README.
	 *
	 * @param line the README line number of its first line of code
	 * @param code its code
	 */
	record CodeBlock(int line, String code) {

		String find(Pattern pattern, String what) {
			Matcher matcher = pattern.matcher(this.code);
			if (!matcher.find()) {
				fail("No %s in the code block at README.md:%d", what, this.line);
			}
			return matcher.group(1);
		}

	}

}
