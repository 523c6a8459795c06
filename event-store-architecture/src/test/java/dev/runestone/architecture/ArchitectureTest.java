package dev.runestone.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * How the modules may depend on each other: core at the bottom, the two adapters and the Micrometer instrumentation
 * beside each other above it, the testkit, the test fixtures, examples and benchmarks on top, codegen apart. Checked
 * on the main classes of every module.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ArchitectureTest {

    /** Core's packages: the API, the SPI and what they are built from. */
    private static final String[] CORE = {"dev.runestone", "dev.runestone.clock..", "dev.runestone.instrumentation..",
        "dev.runestone.internal..", "dev.runestone.projector..", "dev.runestone.registry..", "dev.runestone.spi..",
        "dev.runestone.subscription.."};

    private static final String SQLITE = "dev.runestone.sqlite..";
    private static final String POSTGRES = "dev.runestone.postgres..";
    private static final String CODEGEN = "dev.runestone.codegen..";
    private static final String SPRING_BOOT = "dev.runestone.spring.boot..";
    private static final String TESTKIT = "dev.runestone.testkit..";
    private static final String TEST_FIXTURES = "dev.runestone.test..";
    private static final String MICROMETER = "dev.runestone.micrometer..";
    private static final String[] JDBC_DRIVERS = {"org.sqlite..", "org.postgresql..", "com.zaxxer.hikari.."};

    /** The library, which users put in their applications; examples and benchmarks are applications. */
    private static final String[] LIBRARY = {"dev.runestone", "dev.runestone.clock..",
        "dev.runestone.instrumentation..", "dev.runestone.internal..", "dev.runestone.projector..",
        "dev.runestone.registry..", "dev.runestone.spi..", "dev.runestone.subscription..", SQLITE, POSTGRES, CODEGEN,
        SPRING_BOOT, MICROMETER, TESTKIT, TEST_FIXTURES};

    private static JavaClasses classes;

    @BeforeAll
    static void import_the_main_classes_of_every_module() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.runestone");
    }

    @Test
    void the_adapters_do_not_depend_on_each_other() {
        noClasses().that().resideInAPackage(SQLITE).should().dependOnClassesThat().resideInAPackage(POSTGRES)
                .check(classes);
        noClasses().that().resideInAPackage(POSTGRES).should().dependOnClassesThat().resideInAPackage(SQLITE)
                .check(classes);
    }

    @Test
    void core_depends_on_no_adapter_and_no_jdbc_driver() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage(SQLITE, POSTGRES, TESTKIT, TEST_FIXTURES, CODEGEN, SPRING_BOOT, MICROMETER)
                .orShould().dependOnClassesThat().resideInAnyPackage(JDBC_DRIVERS)
                .orShould().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void only_the_micrometer_module_and_what_builds_on_it_use_micrometer() {
        noClasses().that().resideInAnyPackage(CORE).or().resideInAnyPackage(SQLITE, POSTGRES, CODEGEN)
                .should().dependOnClassesThat().resideInAPackage("io.micrometer..")
                .because("metrics are an optional module: core and the adapters force no metrics library on users")
                .check(classes);
    }

    @Test
    void the_micrometer_module_uses_no_adapter() {
        noClasses().that().resideInAPackage(MICROMETER).should().dependOnClassesThat()
                .resideInAnyPackage(SQLITE, POSTGRES, "dev.runestone.spi..", "dev.runestone.testkit..", SPRING_BOOT)
                .orShould().dependOnClassesThat().resideInAnyPackage(JDBC_DRIVERS)
                .check(classes);
    }

    @Test
    void the_spring_boot_starter_uses_the_adapters_only_through_their_public_entry_points() {
        noClasses().that().resideInAPackage(SPRING_BOOT).should().dependOnClassesThat()
                .resideInAnyPackage("dev.runestone.spi.jdbc..", TESTKIT, TEST_FIXTURES, CODEGEN)
                .orShould().dependOnClassesThat().resideInAnyPackage(JDBC_DRIVERS)
                .check(classes);
    }

    @Test
    void codegen_depends_on_no_adapter_and_no_jdbc_driver() {
        noClasses().that().resideInAPackage(CODEGEN).should().dependOnClassesThat()
                .resideInAnyPackage(SQLITE, POSTGRES, TESTKIT, TEST_FIXTURES)
                .orShould().dependOnClassesThat().resideInAnyPackage(JDBC_DRIVERS)
                .check(classes);
    }

    @Test
    void the_test_fixtures_build_on_core_and_the_sqlite_adapter_alone() {
        noClasses().that().resideInAPackage(TEST_FIXTURES).should().dependOnClassesThat()
                .resideInAnyPackage(POSTGRES, TESTKIT, CODEGEN, SPRING_BOOT, "dev.runestone.spi.jdbc..")
                .orShould().dependOnClassesThat().resideInAnyPackage(JDBC_DRIVERS)
                .because("users pick the storage their tests run on through a TestStorage, and the default, "
                        + "in-memory SQLite, is reached through SqliteStorage")
                .check(classes);
    }

    @Test
    void nothing_outside_core_uses_its_internal_package() {
        noClasses().that().resideOutsideOfPackages(CORE).should().dependOnClassesThat()
                .resideInAPackage("dev.runestone.internal..")
                .check(classes);
    }

    @Test
    void the_library_prints_nothing_to_the_console() {
        noClasses().that().resideInAnyPackage(LIBRARY).should(ACCESS_STANDARD_STREAMS)
                .because("a library reports through SLF4J, exceptions or return values, never the console")
                .check(classes);
    }
}
