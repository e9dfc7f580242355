package io.orderflow.billing.api;

import io.orderflow.contractcheck.ContractCheck;
import io.orderflow.contractcheck.Finding;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The billing context's events against their committed JSON Schemas (ADR 0005). The events are found by scanning the
 * api package, so a new one is checked without touching this test; {@code -Dcontracts.write=true} writes the schemas
 * the rules allow.
 */
class EventContractsTest {

    @Test
    void everyEventMatchesItsCommittedContract() {
        List<Class<?>> events = ContractCheck.eventsIn("io.orderflow.billing.api");

        List<Finding> findings = ContractCheck.verify(Path.of("src/main/resources/contracts"), events);

        assertThat(events).as("the events in io.orderflow.billing.api").containsExactlyInAnyOrder(
                InvoiceIssuedEvent.class, CreditNoteIssuedEvent.class);
        assertTrue(findings.isEmpty(), () -> ContractCheck.report(findings));
    }
}
