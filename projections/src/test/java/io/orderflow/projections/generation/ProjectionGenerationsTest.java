package io.orderflow.projections.generation;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.testing.CannedRows;
import io.orderflow.projections.testing.Statements;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.Mockito;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The generations' own logic, without the database: the generation a projection writes is read once per unit of
 * work, so one batch never straddles two generations; only the replayable projections have generations; and a
 * rebuild clears, and a finished one deletes, rows of the projection's own table only, in the right generation.
 * The generations table itself is answered with fixed values: the statements are PostgreSQL's to check.
 */
class ProjectionGenerationsTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    /** The building generation per projection, as the table holds it now; the served one of a rebuild to finish. */
    private final Map<String, Integer> building = new HashMap<>();
    private Integer servedOfRebuild;
    /** The rows of the served and the rebuilt generation, as the projection's table holds them. */
    private long servedRows = 10;
    private long rebuiltRows = 10;
    private int buildingReads;
    /** The DELETE and UPDATE statements made: the SQL, then its parameters by column. */
    private final List<String> statements = new ArrayList<>();
    private final List<Map<String, Object>> statementRows = new ArrayList<>();

    private ProjectionGenerations generations;

    @BeforeEach
    void setUp() {
        TransactionTemplate transactions = Mockito.mock(TransactionTemplate.class);
        Mockito.when(transactions.execute(Mockito.any())).thenAnswer(call ->
                ((TransactionCallback<?>) call.getArgument(0)).doInTransaction(null));
        generations = new ProjectionGenerations(jdbc(), transactions, Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private JdbcTemplate jdbc() {
        return Mockito.mock(JdbcTemplate.class, invocation -> {
            Object[] args = invocation.getRawArguments();
            String method = invocation.getMethod().getName();
            if (method.equals("toString")) {
                return "generations JDBC";
            }
            String sql = (String) args[0];
            if (method.equals("queryForObject") && sql.startsWith("SELECT building ")) {
                buildingReads++;
                return building.get((String) ((Object[]) args[2])[0]);
            }
            if (method.equals("query") && sql.contains("FOR UPDATE")) {
                return servedOfRebuild == null ? List.of()
                        : List.of(((RowMapper<?>) args[1]).mapRow(CannedRows.row(servedOfRebuild,
                        servedOfRebuild + 1), 0));
            }
            if (method.equals("query") && sql.startsWith("SELECT count(*) FILTER")) {
                return List.of(((RowMapper<?>) args[1]).mapRow(CannedRows.row(servedRows, rebuiltRows), 0));
            }
            if (method.equals("update")) {
                Object[] parameters = (Object[]) args[1];
                statements.add(sql);
                statementRows.add(sql.startsWith("DELETE") ? Map.of("generation", parameters[0])
                        : Statements.row(sql, parameters));
                return 1;
            }
            throw new UnsupportedOperationException("unexpected JDBC call " + invocation);
        });
    }

    @AfterEach
    void endUnitsOfWorkLeftByAFailedTest() {
        while (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().rollback();
        }
    }

    @Test
    void givenAUnitOfWork_whenTheBuildingGenerationChangesMeanwhile_thenItsHandlersKeepWritingTheOneTheyFirstRead() {
        building.put(ProjectionProcessors.ORDER_SUMMARY, 1);
        building.put(ProjectionProcessors.ANALYTICS, 5);
        UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("a batch"));

        assertThat(generations.writing(ProjectionProcessors.ORDER_SUMMARY)).isEqualTo(1);
        building.put(ProjectionProcessors.ORDER_SUMMARY, 2);
        assertThat(generations.writing(ProjectionProcessors.ORDER_SUMMARY)).isEqualTo(1);
        assertThat(generations.writing(ProjectionProcessors.ANALYTICS)).as("each projection its own").isEqualTo(5);
        assertThat(buildingReads).isEqualTo(2);
        batch.commit();

        UnitOfWork<?> next = DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("the next batch"));
        assertThat(generations.writing(ProjectionProcessors.ORDER_SUMMARY)).isEqualTo(2);
        next.commit();
    }

    @Test
    void givenNoUnitOfWork_whenAskedForTheWritingGeneration_thenEveryCallReadsTheTable() {
        building.put(ProjectionProcessors.CUSTOMER_PROFILE, 1);
        assertThat(generations.writing(ProjectionProcessors.CUSTOMER_PROFILE)).isEqualTo(1);

        building.put(ProjectionProcessors.CUSTOMER_PROFILE, 2);

        assertThat(generations.writing(ProjectionProcessors.CUSTOMER_PROFILE)).isEqualTo(2);
    }

    @Test
    void givenTheNotificationProcessor_whenAskedAboutItsGenerations_thenItIsRefusedAsNotReplayable() {
        assertThat(generations.projections()).containsExactly(ProjectionProcessors.ANALYTICS,
                ProjectionProcessors.CUSTOMER_PROFILE, ProjectionProcessors.ORDER_SUMMARY);
        String notifications = ProjectionProcessors.NOTIFICATIONS;

        assertThatIllegalArgumentException().isThrownBy(() -> generations.writing(notifications))
                .withMessageContaining(notifications);
        assertThatIllegalArgumentException().isThrownBy(() -> generations.serving(notifications));
        assertThatIllegalArgumentException().isThrownBy(() -> generations.beginRebuild(notifications));
        assertThatIllegalArgumentException().isThrownBy(() -> generations.rebuildOf(notifications));
        assertThatIllegalArgumentException().isThrownBy(() -> generations.finishRebuild(notifications));
        assertThat(statements).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"order-summary, order_summary", "customer-profile, customer_profile", "analytics, analytics_order"})
    void givenAProjection_whenARebuildBegins_thenRowsLeftInTheBuildingGenerationOfItsOwnTableAreCleared(
            String projection, String table) {
        building.put(projection, 3);

        generations.beginRebuild(projection);

        assertThat(statementRows.get(0)).containsEntry("rebuild_started_at", Timestamp.from(NOW))
                .containsEntry("projection", projection);
        assertThat(statements.get(1)).isEqualTo("DELETE FROM " + table + " WHERE generation = ?");
        assertThat(statementRows.get(1)).containsEntry("generation", 3);
    }

    @Test
    void givenNoRebuildInProgress_whenFinished_thenNothingChanges() {
        assertThat(generations.finishRebuild(ProjectionProcessors.ANALYTICS)).isFalse();

        assertThat(statements).isEmpty();
    }

    @Test
    void givenARebuiltGenerationWithFewerRowsThanTheServedOne_whenFinished_thenReadsStayOnTheServedData() {
        servedOfRebuild = 4;
        servedRows = 44_926;
        rebuiltRows = 22_495;

        assertThat(generations.finishRebuild(ProjectionProcessors.ORDER_SUMMARY)).isFalse();

        assertThat(statements).as("nothing switched, nothing deleted").isEmpty();
        rebuiltRows = 44_930;
        assertThat(generations.finishRebuild(ProjectionProcessors.ORDER_SUMMARY)).isTrue();
        assertThat(statements.get(1)).isEqualTo("DELETE FROM order_summary WHERE generation = ?");
    }

    @Test
    void givenARebuildInProgress_whenFinished_thenTheRebuiltGenerationIsServedAndTheOldOnesRowsDeleted() {
        servedOfRebuild = 4;

        assertThat(generations.finishRebuild(ProjectionProcessors.CUSTOMER_PROFILE)).isTrue();

        assertThat(statementRows.get(0)).containsEntry("switched_at", Timestamp.from(NOW))
                .containsEntry("projection", ProjectionProcessors.CUSTOMER_PROFILE);
        assertThat(statements.get(1)).isEqualTo("DELETE FROM customer_profile WHERE generation = ?");
        assertThat(statementRows.get(1)).containsEntry("generation", 4);
    }
}
