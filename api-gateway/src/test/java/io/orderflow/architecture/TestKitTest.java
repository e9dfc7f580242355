package io.orderflow.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The test kit's roles stay apart: processes, clients and judges use one another without cycles, and none of them
 * uses a test. A test uses the kit; the kit never reaches into a test.
 */
@AnalyzeClasses(packages = "io.orderflow.gateway", importOptions = ImportOption.OnlyIncludeTests.class)
class TestKitTest {

    @ArchTest
    static final ArchRule theRolesHaveNoCycles = slices().matching("io.orderflow.gateway.testkit.(*)..")
            .should().beFreeOfCycles()
            .because("processes start things, clients talk to them, judges decide; each role builds on the ones"
                    + " before it");

    @ArchTest
    static final ArchRule theKitUsesNoTest = noClasses().that().resideInAPackage("io.orderflow.gateway.testkit..")
            .should().dependOnClassesThat().resideInAnyPackage("io.orderflow.gateway.system..",
                    "io.orderflow.gateway.benchmark..")
            .because("system tests and benchmarks use the kit, never the other way round");
}
