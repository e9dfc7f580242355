package io.orderflow.connect;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorFileTest {

    @Test
    void theRepositorysFilesAreTheCdcSourceAndTheReportingSink_withoutAPasswordInThem() {
        List<ConnectorFile> files = ConnectorFile.all();

        assertThat(files).extracting(ConnectorFile::name)
                .containsExactly("orderflow-cdc-source", "orderflow-reporting-sink");
        assertThat(files).extracting(ConnectorFile::connectorClass).containsExactly(
                "io.debezium.connector.postgresql.PostgresConnector", "io.debezium.connector.jdbc.JdbcSinkConnector");
        // Credentials come from the worker's environment through Connect's env config provider.
        assertThat(files).allSatisfy(file -> file.config().forEach((key, value) -> {
            if (key.contains("password") || key.contains("user") || key.contains("hostname")) {
                assertThat(value).as(file.name() + " " + key).startsWith("${env:ORDERFLOW_CONNECT_DATABASE_");
            }
        }));
        ConnectorFile source = files.get(0);
        assertThat(source.config()).containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("publication.name", "orderflow_cdc");
        ConnectorFile sink = files.get(1);
        assertThat(sink.config()).containsEntry("topics", "orderflow.cdc.order-facts")
                .containsEntry("insert.mode", "upsert").containsEntry("primary.key.fields", "global_index");
    }

    @Test
    void aFileThatConnectWouldMisreadIsRefusedWithItsReason() {
        assertThatThrownBy(() -> parse("[]", "x.json")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{\"config\": {}}", "x.json")).hasMessageContaining("no \"name\"");
        assertThatThrownBy(() -> parse("{\"name\": \"x\"}", "x.json")).hasMessageContaining("no \"config\"");
        assertThatThrownBy(() -> parse("{\"name\": \"x\", \"config\": {\"tasks.max\": 1, "
                + "\"connector.class\": \"C\"}}", "x.json")).hasMessageContaining("\"tasks.max\" must be a string");
        assertThatThrownBy(() -> parse("{\"name\": \"x\", \"config\": {\"tasks.max\": \"1\"}}", "x.json"))
                .hasMessageContaining("no \"connector.class\"");
        assertThatThrownBy(() -> parse("{\"name\": \"x\", \"config\": {\"connector.class\": \"C\"}}", "y.json"))
                .hasMessageContaining("must be named x.json");
    }

    @Test
    void aGoodFileKeepsItsSettingsInOrder() throws IOException {
        ConnectorFile file = parse("{\"name\": \"x\", \"config\": {\"connector.class\": \"C\", \"a\": \"1\"}}",
                "x.json");
        assertThat(file.name()).isEqualTo("x");
        assertThat(file.config()).containsEntry("connector.class", "C").containsEntry("a", "1");
    }

    private static ConnectorFile parse(String json, String fileName) throws IOException {
        return ConnectorFile.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), fileName);
    }
}
