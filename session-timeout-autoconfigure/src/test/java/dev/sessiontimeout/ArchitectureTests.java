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
package dev.sessiontimeout;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure the code keeps: no package cycles; the policy code is plain Java; the
 * session clocks know no web stack; nothing but the auto-configuration wires things up;
 * and users see only the root package and the auto-configuration (SPEC §9), everything
 * else being package-private or in a package named {@code internal}.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.sessiontimeout");

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.sessiontimeout.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void thePolicyCodeIsPlainJava() {
		classes().that()
			.resideInAPackage("dev.sessiontimeout.internal.policy..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", "dev.sessiontimeout",
					"dev.sessiontimeout.internal.policy..")
			.check(classes);
	}

	@Test
	void theSessionClocksKnowNoWebStack() {
		noClasses().that()
			.resideInAPackage("dev.sessiontimeout.internal.session..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "org.springframework.security..",
					"org.springframework.session..", "reactor..")
			.check(classes);
	}

	@Test
	void theReactiveEnforcementKnowsNoServletApi() {
		noClasses().that()
			.resideInAPackage("dev.sessiontimeout.internal.reactive..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web.servlet..",
					"org.springframework.security..")
			.check(classes);
	}

	@Test
	void nothingButTheAutoConfigurationDependsOnIt() {
		noClasses().that()
			.resideOutsideOfPackage("dev.sessiontimeout.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.sessiontimeout.autoconfigure..")
			.check(classes);
	}

	@Test
	void publicTypesAreTheApiTheAutoConfigurationOrInternal() {
		classes().that()
			.arePublic()
			.and(DescribedPredicate.describe("top-level", JavaClass::isTopLevelClass))
			.should()
			.resideInAnyPackage("dev.sessiontimeout", "dev.sessiontimeout.autoconfigure",
					"dev.sessiontimeout.internal..")
			.check(classes);
	}

	@Test
	void theAutoConfigurationPublishesOnlyAutoConfigurationsAndProperties() {
		classes().that()
			.resideInAPackage("dev.sessiontimeout.autoconfigure")
			.and()
			.arePublic()
			.and(DescribedPredicate.describe("top-level", JavaClass::isTopLevelClass))
			.should()
			.haveSimpleNameEndingWith("AutoConfiguration")
			.orShould()
			.haveSimpleNameEndingWith("Properties")
			.check(classes);
	}

	@Test
	void autoConfigurationsAreFinal() {
		classes().that()
			.resideInAPackage("dev.sessiontimeout.autoconfigure")
			.and()
			.haveSimpleNameEndingWith("AutoConfiguration")
			.should()
			.haveModifier(JavaModifier.FINAL)
			.check(classes);
	}

}
