package io.orderflow.contractcheck;

import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain class-path scan finds classes in directories and in jars, and leaves test output out. */
class ClasspathTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void findsTheClassesOfAPackageInADirectory() {
        assertThat(Classpath.classesIn("io.orderflow.contractcheck", loader, false))
                .contains(ContractCheck.class, EventSchemas.class, Finding.Kind.class)
                .doesNotContain(ClasspathTest.class);
    }

    @Test
    void includesTestOutputOnlyWhenAsked() {
        assertThat(Classpath.classesIn("io.orderflow.contractcheck", loader, true))
                .contains(ContractCheck.class, ClasspathTest.class);
    }

    @Test
    void findsTheClassesOfAPackageInAJar() {
        assertThat(Classpath.classesIn("org.axonframework.serialization.upcasting.event", loader, false))
                .contains(SingleEventUpcaster.class);
    }
}
