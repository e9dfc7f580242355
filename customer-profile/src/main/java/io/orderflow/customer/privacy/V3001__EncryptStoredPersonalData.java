package io.orderflow.customer.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encrypts the personal data that releases before ADR 0032 stored in plain text: the payloads of stored events,
 * snapshots and dead letters, and the state of sagas, each with its customer's key (made as needed), exactly as the
 * application writes them now. Runs once, as the schema's owner (the application's role may not change stored
 * events), before the application starts on the database; a fresh database has nothing to encrypt.
 *
 * <p>Records already on Kafka are not reached: see the ADR's limits.
 */
@Component
public class V3001__EncryptStoredPersonalData extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V3001__EncryptStoredPersonalData.class);

    /** Each table with a serialized object: its key column, the column naming the object's type, its payload. */
    private record Stored(String table, String key, String type, String payload) {
    }

    private static final List<Stored> STORED = List.of(
            new Stored("domain_event_entry", "global_index", "payload_type", "payload"),
            new Stored("snapshot_event_entry", "event_identifier", "payload_type", "payload"),
            new Stored("dead_letter_entry", "dead_letter_id", "payload_type", "payload"),
            new Stored("saga_entry", "saga_id", "saga_type", "serialized_saga"));

    private final String masterKey;
    private final ObjectMapper json = new ObjectMapper();

    public V3001__EncryptStoredPersonalData(PersonalDataProperties settings) {
        this.masterKey = settings.masterKey();
    }

    @Override
    public void migrate(Context context) {
        JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true));
        CustomerDataKeys keys = new CustomerDataKeys(jdbc, new PersonalDataCipher(masterKey), Duration.ofMinutes(5));
        Map<String, Integer> encrypted = new LinkedHashMap<>();
        for (Stored stored : STORED) {
            for (String typeName : jdbc.queryForList("SELECT DISTINCT " + stored.type() + " FROM " + stored.table()
                    + " WHERE " + stored.type() + " IS NOT NULL", String.class)) {
                PersonalDataShape shape = shapeOf(typeName);
                if (shape == null || !shape.holdsPersonalData()) {
                    continue;
                }
                int rows = encrypt(jdbc, keys, stored, typeName, shape);
                if (rows > 0) {
                    encrypted.merge(stored.table(), rows, Integer::sum);
                }
            }
        }
        log.info("Personal data stored in plain text by earlier releases, encrypted per customer: {}",
                encrypted.isEmpty() ? "none found" : encrypted + " rows");
    }

    private int encrypt(JdbcTemplate jdbc, CustomerDataKeys keys, Stored stored, String typeName,
                        PersonalDataShape shape) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT " + stored.key() + " AS k, " + stored.payload()
                + " AS p FROM " + stored.table() + " WHERE " + stored.type() + " = ?", typeName);
        int changed = 0;
        for (Map<String, Object> row : rows) {
            byte[] payload = (byte[]) row.get("p");
            if (payload == null) {
                continue;
            }
            JsonNode tree = read(payload);
            if (!(tree instanceof ObjectNode root)) {
                continue;
            }
            if (!PersonalFields.namesCustomer(root, shape) && !nameCustomerOfOrder(jdbc, root, shape)) {
                log.warn("{} {} in {} holds personal data of no known customer: left as it is", typeName,
                        row.get("k"), stored.table());
                continue;
            }
            if (PersonalFields.encrypt(root, shape, keys, typeName, true) > 0) {
                jdbc.update("UPDATE " + stored.table() + " SET " + stored.payload() + " = ? WHERE " + stored.key()
                        + " = ?", write(root), row.get("k"));
                changed++;
            }
        }
        return changed;
    }

    /**
     * Events written before the shipment events named their customer: the customer of their order, from the order's
     * acceptance in the store, is added (the field is optional in their revision).
     */
    private static boolean nameCustomerOfOrder(JdbcTemplate jdbc, ObjectNode root, PersonalDataShape shape) {
        JsonNode order = root.get("orderId");
        if (order == null || !order.isTextual()) {
            return false;
        }
        List<String> customers = jdbc.queryForList("SELECT convert_from(payload, 'UTF8')::jsonb ->> 'customerId' "
                + "FROM domain_event_entry WHERE aggregate_identifier = ? AND payload_type = "
                + "'io.orderflow.order.api.OrderAcceptedEvent'", String.class, order.textValue());
        if (customers.isEmpty() || customers.get(0) == null) {
            return false;
        }
        root.put(shape.subject(), customers.get(0));
        return true;
    }

    private static PersonalDataShape shapeOf(String typeName) {
        try {
            return PersonalDataShape.of(Class.forName(typeName, false,
                    V3001__EncryptStoredPersonalData.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return null; // a type this release no longer has: nothing of ours to read in it
        }
    }

    private JsonNode read(byte[] payload) {
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            return null; // not JSON (an XML payload of an old serializer): left as it is
        }
    }

    private byte[] write(JsonNode tree) {
        try {
            return json.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
