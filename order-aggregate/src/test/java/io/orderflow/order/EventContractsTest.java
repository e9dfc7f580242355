package io.orderflow.order;

import io.orderflow.infra.contracts.ContractCheck;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order context's events against their committed JSON Schemas: an incompatible change fails the build with
 * what to do. {@code -Dcontracts.write=true} writes the schemas the rules allow.
 */
class EventContractsTest {

    @Test
    void everyEventMatchesItsCommittedContract() {
        List<Class<?>> events = ContractCheck.eventsIn("io.orderflow.order.api");
        ContractCheck check = new ContractCheck(Path.of("src/main/resources/contracts"), "order-aggregate",
                ContractCheck.upcastersIn("io.orderflow.order"));

        List<String> findings = check.verify(events, Boolean.getBoolean(ContractCheck.WRITE_PROPERTY));

        assertThat(events).as("the events found").hasSizeGreaterThanOrEqualTo(8);
        assertThat(findings).as("contract findings").isEmpty();
    }
}
