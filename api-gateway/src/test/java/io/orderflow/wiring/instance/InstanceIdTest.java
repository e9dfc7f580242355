package io.orderflow.wiring.instance;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstanceIdTest {

    @Test
    void aConfiguredNameIsKept_andTheClaimOwnerIsItWithASuffixOfItsOwn() {
        InstanceId first = InstanceId.of(" orderflow-7d9f-abc12 ");
        InstanceId second = InstanceId.of("orderflow-7d9f-abc12");

        assertThat(first.name()).isEqualTo("orderflow-7d9f-abc12");
        assertThat(first.owner()).matches("orderflow-7d9f-abc12/[0-9a-f]{8}");
        assertThat(second.owner()).as("two processes given one name never share claims").isNotEqualTo(first.owner());
    }

    @Test
    void withoutANameTheProcessNamesIt() {
        assertThat(InstanceId.of("").name()).isEqualTo(ManagementFactory.getRuntimeMXBean().getName());
        assertThat(InstanceId.of(null).name()).isEqualTo(ManagementFactory.getRuntimeMXBean().getName());
    }

    @Test
    void aNameThatWouldNotFitIsRefusedWithTheRule() {
        assertThatThrownBy(() -> InstanceId.of("pod one")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ORDERFLOW_INSTANCE_ID").hasMessageContaining("'pod one'");
        assertThatThrownBy(() -> InstanceId.of("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InstanceId.of("-leading")).isInstanceOf(IllegalArgumentException.class);
        assertThat(InstanceId.of("x".repeat(64)).name()).hasSize(64);
    }
}
