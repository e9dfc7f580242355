package io.orderflow.customer;

import io.orderflow.infra.contracts.ContractCheck;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The customer-profile context's events against their committed JSON Schemas: an incompatible change fails the build with
 * what to do. {@code -Dcontracts.write=true} writes the schemas the rules allow.
 */
class EventContractsTest {

    @Test
    void everyEventMatchesItsCommittedContract() {
        List<Class<?>> events = ContractCheck.eventsIn("io.orderflow.customer.api");
        ContractCheck check = new ContractCheck(Path.of("src/main/resources/contracts"), "customer-profile",
                ContractCheck.upcastersIn("io.orderflow.customer"));

        List<String> findings = check.verify(events, Boolean.getBoolean(ContractCheck.WRITE_PROPERTY));

        assertThat(events).as("the events found").hasSizeGreaterThanOrEqualTo(2);
        assertThat(findings).as("contract findings").isEmpty();
    }
}
