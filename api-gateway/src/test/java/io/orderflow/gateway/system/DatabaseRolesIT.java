package io.orderflow.gateway.system;

import io.orderflow.gateway.testkit.judge.ScenarioReport;
import io.orderflow.gateway.testkit.process.EmbeddedSystemTest;
import io.orderflow.infra.EmbeddedInfrastructure;
import io.orderflow.infra.EmbeddedInfrastructureEnvironmentPostProcessor;
import io.orderflow.infra.postgres.DatabaseRoles;
import io.orderflow.infra.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Least privilege in PostgreSQL (ADR 0028), on the running application's own connections: the application's role
 * writes rows and nothing else, the owner role owns every table (it ran the migrations), the simulator's ledger is
 * out of the application's reach, and no connection gets in without its password.
 */
class DatabaseRolesIT extends EmbeddedSystemTest {

    /** PostgreSQL's SQLSTATE for "insufficient privilege" (also "must be owner"). */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Autowired
    DataSource application;

    @Autowired
    @Qualifier(EmbeddedInfrastructureEnvironmentPostProcessor.INFRASTRUCTURE_BEAN)
    EmbeddedInfrastructure infrastructure;

    @Test
    void theApplicationsRoleCannotCreateAlterOrDropTables_norChangeStoredEvents_norReadTheSimulatorsLedger()
            throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        try (Connection connection = application.getConnection()) {
            assertThat(query(connection, "SELECT current_user")).isEqualTo(DatabaseRoles.APP);
            assertThat(query(connection, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("false");
            for (String statement : List.of(
                    "CREATE TABLE intruder (id int)",
                    "CREATE SCHEMA intruder",
                    "ALTER TABLE order_summary ADD COLUMN intruder int",
                    "DROP TABLE order_summary",
                    "TRUNCATE order_summary",
                    "CREATE INDEX intruder ON order_summary (status)",
                    "UPDATE domain_event_entry SET payload_type = payload_type",
                    "DELETE FROM domain_event_entry",
                    "DELETE FROM flyway_schema_history",
                    "SELECT count(*) FROM payment_simulator.ledger")) {
                SQLException error = refusal(connection, statement);
                refused.put(statement, error.getSQLState() + " " + error.getMessage().lines().findFirst().orElse(""));
                assertThat(error.getSQLState()).as(statement + ": " + error.getMessage())
                        .isEqualTo(INSUFFICIENT_PRIVILEGE);
            }
            // What it needs it has: reading and appending rows.
            assertThat(query(connection, "SELECT count(*) FROM domain_event_entry")).isNotNull();
            assertThat(query(connection, "SELECT has_table_privilege('domain_event_entry', 'INSERT')::text"))
                    .isEqualTo("true");
        }
        refused.forEach((statement, error) -> System.out.printf("as %s: %s -> %s%n", DatabaseRoles.APP, statement,
                error));
        ScenarioReport.record(new ScenarioReport.Row("S15 database roles", "the application's database role misused",
                "the application's own connection tries DDL, changes to stored events and the migrations' history, "
                        + "and the simulator's ledger", refused.size(), 0, 0, "none needed: nothing changed", true,
                refused.size() + " statements refused with 42501 (" + String.join("; ", refused.keySet())
                        + "); every table owned by " + DatabaseRoles.OWNER + " (ADR 0028)"));

        assertThat(jdbc.queryForList("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
                String.class)).as("every table belongs to the role that ran the migrations")
                .containsExactly(DatabaseRoles.OWNER);
        assertThat(jdbc.queryForObject("SELECT tableowner FROM pg_tables WHERE schemaname = 'payment_simulator' "
                + "AND tablename = 'ledger'", String.class)).isEqualTo(DatabaseRoles.SIMULATOR);
        assertThat(jdbc.queryForObject("SELECT has_schema_privilege(?, 'payment_simulator', 'USAGE')",
                Boolean.class, DatabaseRoles.APP)).isFalse();
    }

    @Test
    void everyConnectionNeedsItsPassword_andThePasswordsAreTheOwnersAlone() throws Exception {
        EmbeddedPostgresServer postgres = infrastructure.postgres().orElseThrow();
        for (String role : List.of(DatabaseRoles.SUPERUSER, DatabaseRoles.OWNER, DatabaseRoles.APP)) {
            for (String password : new String[] {"", "wrong"}) {
                assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), role, password).close())
                        .as("%s with password '%s'", role, password).isInstanceOf(SQLException.class)
                        .hasMessageContaining(password.isEmpty() ? "requested SCRAM-based authentication"
                                : "password authentication failed");
            }
        }
        String hba = Files.readString(postgres.dataDirectory().resolve("pg_hba.conf"), StandardCharsets.UTF_8);
        assertThat(hba.lines().filter(line -> !line.startsWith("#") && !line.isBlank()))
                .isNotEmpty().allMatch(line -> line.trim().endsWith("scram-sha-256"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(postgres.credentialsFile())))
                .isEqualTo("rw-------");
        assertThat(jdbc.queryForObject("SELECT rolreplication FROM pg_roles WHERE rolname = ?", Boolean.class,
                DatabaseRoles.CONNECT)).as("Debezium reads the log through a replication slot").isTrue();
        assertThat(jdbc.queryForObject("SELECT rolreplication FROM pg_roles WHERE rolname = ?", Boolean.class,
                DatabaseRoles.APP)).isFalse();
    }

    private static SQLException refusal(Connection connection, String statement) {
        try (Statement sql = connection.createStatement()) {
            sql.execute(statement);
        } catch (SQLException e) {
            return e;
        }
        throw new AssertionError("the application's role was allowed: " + statement);
    }

    private static String query(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement(); var rows = sql.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
