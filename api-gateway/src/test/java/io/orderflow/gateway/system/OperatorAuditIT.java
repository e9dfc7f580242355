package io.orderflow.gateway.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.orderflow.gateway.testkit.client.Http;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operator action, allowed or refused, is in the audit log with who, what, when and how it ended. */
class OperatorAuditIT extends EmbeddedSystemTest {

    @Test
    void operatorActionsAreAuditedWithWhoWhatWhenAndOutcome_andReadsAreNot() {
        String sku = "SKU-AUDIT-" + UUID.randomUUID().toString().substring(0, 8);

        assertThat(http.put("/api/catalogue/" + sku,
                "{\"name\": \"Audited beans\", \"unitPrice\": \"12.00\", \"currency\": \"EUR\"}").status())
                .isEqualTo(200);
        assertThat(http.put("/api/inventory/" + sku, "{\"available\": 7}").status()).isEqualTo(200);
        Http.Response paused = http.post("/api/admin/processors/delivery-address/pause", null, "");
        assertThat(paused.status()).isEqualTo(200);
        String trace = paused.header("X-Trace-Id");
        assertThat(http.post("/api/admin/processors/delivery-address/resume", null, "").status()).isEqualTo(200);
        assertThat(http.delete("/api/admin/dead-letters/no-such-processor/x").status()).isEqualTo(400);
        assertThat(http.get("/api/admin/processors").status()).isEqualTo(200);

        JsonNode audit = http.get("/api/admin/audit?actor=orderflow-operator&limit=50").json();
        List<String> recent = new ArrayList<>();
        audit.forEach(entry -> recent.add(entry.get("action").asText() + " " + entry.get("target").asText() + " "
                + entry.get("status").asInt()));
        assertThat(recent).containsSubsequence(
                "dead-letter.delete DELETE /api/admin/dead-letters/no-such-processor/x 400",
                "processor.resume POST /api/admin/processors/delivery-address/resume 200",
                "processor.pause POST /api/admin/processors/delivery-address/pause 200",
                "inventory.stock PUT /api/inventory/" + sku + " 200",
                "catalogue.price PUT /api/catalogue/" + sku + " 200");
        assertThat(recent).as("reads are not operator actions").noneMatch(line -> line.contains("GET "));
        JsonNode pause = find(audit, "processor.pause");
        assertThat(pause.get("actor").asText()).isEqualTo("orderflow-operator");
        assertThat(pause.get("outcome").asText()).isEqualTo("done");
        assertThat(pause.get("traceId").asText()).isEqualTo(trace);
        assertThat(pause.get("at").asText()).isNotBlank();
        assertThat(find(audit, "dead-letter.delete").get("outcome").asText()).isEqualTo("refused with 400");

        Http.Response badLimit = http.get("/api/admin/audit?limit=0");
        assertThat(badLimit.status()).isEqualTo(400);
    }

    private static JsonNode find(JsonNode audit, String action) {
        for (JsonNode entry : audit) {
            if (entry.get("action").asText().equals(action)) {
                return entry;
            }
        }
        throw new AssertionError("no " + action + " in " + audit);
    }
}
