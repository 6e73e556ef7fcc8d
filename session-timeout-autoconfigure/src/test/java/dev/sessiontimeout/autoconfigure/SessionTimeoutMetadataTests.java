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

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

import dev.sessiontimeout.testsupport.ReadmeSnippets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the registration files and the generated configuration metadata.
 *
 * @author session-timeout
 */
class SessionTimeoutMetadataTests {

	private final ClassLoader classLoader = getClass().getClassLoader();

	@Test
	void springFactoriesWhenLoadedAsSpringBootDoesThenRegistersFailureAnalyzer() {
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation(this.classLoader)
			.load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, failure) -> {
			}));
		assertThat(analyzers).hasAtLeastOneElementOfType(SessionTimeoutFailureAnalyzer.class);
	}

	@Test
	void autoConfigurationImportsWhenLoadedThenListsAutoConfigurationSorted() {
		List<String> candidates = ImportCandidates.load(AutoConfiguration.class, this.classLoader).getCandidates();
		assertThat(candidates).contains(SessionTimeoutAutoConfiguration.class.getName(),
				SessionTimeoutSecurityAutoConfiguration.class.getName(),
				SessionTimeoutOAuth2ClientAutoConfiguration.class.getName(),
				SessionTimeoutActuateAutoConfiguration.class.getName(),
				SessionTimeoutReactiveAutoConfiguration.class.getName());
		assertThat(candidates).filteredOn((candidate) -> candidate.startsWith("dev.sessiontimeout.")).isSorted();
	}

	@Test
	void configurationMetadataWhenGeneratedThenEverySessionTimeoutPropertyHasDescription() throws IOException {
		List<Map<String, Object>> properties = sessionTimeoutProperties();
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("session-timeout.enabled", "session-timeout.absolute", "session-timeout.idle",
					"session-timeout.reauthentication", "session-timeout.privileged.max-age", "session-timeout.preset",
					"session-timeout.preset-deviation", "session-timeout.store-grace", "session-timeout.expired-url",
					"session-timeout.limits.absolute", "session-timeout.limits.idle",
					"session-timeout.limits.reauthentication", "session-timeout.activity.passive-paths",
					"session-timeout.status.enabled", "session-timeout.status.path", "session-timeout.script.enabled",
					"session-timeout.policies", "session-timeout.cookie.persistent",
					"session-timeout.privileged.paths");
		assertThat(properties).allSatisfy(
				(property) -> assertThat(property.get("description")).as("description of %s", property.get("name"))
					.asString()
					.isNotBlank()
					.doesNotStartWith("The "));
	}

	@Test
	void configurationMetadataWhenGeneratedThenClockDefaultsDocumented() throws IOException {
		List<Map<String, Object>> properties = sessionTimeoutProperties();
		assertThat(properties).filteredOn((property) -> "session-timeout.absolute".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo("12h"));
		assertThat(properties).filteredOn((property) -> "session-timeout.reauthentication".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo("-1"));
		assertThat(properties)
			.filteredOn((property) -> "session-timeout.privileged.max-age".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue")).isEqualTo("15m"));
	}

	@Test
	void configurationMetadataWhenGeneratedThenEachGroupDescribesItsOwnClocks() throws IOException {
		List<Map<String, Object>> properties = sessionTimeoutProperties();
		for (String clock : List.of("absolute", "idle", "reauthentication")) {
			assertThat(properties)
				.filteredOn((property) -> ("session-timeout.limits." + clock).equals(property.get("name")))
				.singleElement()
				.satisfies((property) -> assertThat(property.get("description")).asString()
					.startsWith("Longest ")
					.endsWith(" any session may have."));
			assertThat(properties).filteredOn((property) -> ("session-timeout." + clock).equals(property.get("name")))
				.singleElement()
				.satisfies((property) -> assertThat(property.get("description")).asString()
					.doesNotStartWith("Longest ")
					.contains("session"));
		}
		assertThat(properties).filteredOn((property) -> "session-timeout.idle".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("description")).asString()
				.contains("Defaults to Spring Boot's session timeout"));
	}

	@Test
	void configurationMetadataWhenGeneratedThenPolicyCookieAndPrivilegedPathsDocumented() throws IOException {
		List<Map<String, Object>> properties = sessionTimeoutProperties();
		assertThat(properties).filteredOn((property) -> "session-timeout.policies".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> {
				assertThat(property.get("type")).asString().startsWith("java.util.List<").contains("Policy");
				assertThat(property.get("description")).asString().contains("first", "list order");
			});
		assertThat(properties)
			.filteredOn((property) -> "session-timeout.cookie.persistent".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> {
				assertThat(property.get("defaultValue")).isEqualTo(false);
				assertThat(property.get("description")).asString().startsWith("Whether");
			});
		assertThat(properties).filteredOn((property) -> "session-timeout.privileged.paths".equals(property.get("name")))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("type")).isEqualTo("java.util.List<java.lang.String>"));
	}

	@Test
	void configurationMetadataWhenGeneratedThenDefaultsAreThoseOfTheReadmesPropertiesTable() throws IOException {
		Map<String, String> readme = readmeDefaults();
		assertThat(readme).as("properties of the README's table").hasSizeGreaterThan(20);
		List<Map<String, Object>> properties = sessionTimeoutProperties();
		readme.forEach((name, readmeDefault) -> assertThat(properties)
			.filteredOn((property) -> name.equals(property.get("name")))
			.as("metadata of %s", name)
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue")).as("default of %s", name)
				.satisfies((value) -> assertThat((value != null) ? String.valueOf(value) : null)
					.isEqualTo(readmeDefault))));
	}

	/**
	 * The generated metadata cannot describe the members of a list of objects, so the
	 * README's Policies section is where users learn them: it names, in its YAML, every
	 * property a policy binds.
	 */
	@Test
	void readmePoliciesWhenReadThenItsYamlSetsEveryPropertyThatAPolicyBinds() throws IOException {
		StringBuilder section = new StringBuilder();
		boolean inSection = false;
		for (String line : Files.readAllLines(ReadmeSnippets.README, StandardCharsets.UTF_8)) {
			if (line.startsWith("## ")) {
				inSection = line.equals("## Policies");
			}
			if (inSection) {
				section.append(line).append('\n');
			}
		}
		List<String> properties = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(SessionTimeoutPolicyProperties.class)) {
			if (descriptor.getReadMethod() != null && !descriptor.getName().equals("class")) {
				properties.add(DataObjectPropertyName.toDashedForm(descriptor.getName()));
			}
		}
		assertThat(properties).contains("name", "authorities", "reauthentication", "privileged-max-age");
		for (String property : properties) {
			assertThat(section.toString()).as("the README's Policies section setting %s", property)
				.containsPattern("(?m)^ +(- )?" + property + ": ");
		}
	}

	/**
	 * Return the default of each property of the README's table, {@code null} for "none";
	 * a row with a default in words (the idle timeout's) or several properties is left
	 * out.
	 */
	private Map<String, String> readmeDefaults() throws IOException {
		Pattern row = Pattern.compile("^\\| `(session-timeout\\.[a-z0-9.-]+)` \\| (?:`([^`]+)`|(none)) \\|");
		Map<String, String> defaults = new LinkedHashMap<>();
		boolean inTable = false;
		for (String line : Files.readAllLines(ReadmeSnippets.README, StandardCharsets.UTF_8)) {
			if (line.startsWith("## ")) {
				inTable = line.equals("## Properties");
			}
			Matcher matcher = row.matcher(line);
			if (inTable && matcher.find()) {
				defaults.put(matcher.group(1), matcher.group(2));
			}
		}
		return defaults;
	}

	private List<Map<String, Object>> sessionTimeoutProperties() throws IOException {
		List<Map<String, Object>> properties = new ArrayList<>();
		for (URL url : Collections.list(this.classLoader.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream content = url.openStream()) {
				List<Map<String, Object>> all = JsonPath.parse(content).read("$.properties[*]");
				all.stream()
					.filter((property) -> String.valueOf(property.get("name")).startsWith("session-timeout."))
					.forEach(properties::add);
			}
		}
		assertThat(properties).as("session-timeout properties in the generated metadata").isNotEmpty();
		return properties;
	}

}
