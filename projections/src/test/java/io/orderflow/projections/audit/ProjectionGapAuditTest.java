package io.orderflow.projections.audit;

import io.orderflow.projections.api.GapAudit;
import io.orderflow.projections.api.GapAudit.Gap;
import io.orderflow.projections.api.GapAudit.ProjectionResult;
import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.api.ProjectionRebuilds;
import io.orderflow.projections.generation.ProjectionGenerations;
import io.orderflow.projections.testing.CannedRows;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gap audit's own judgement, without the database: which projections it audits (only those with a horizon and
 * not rebuilding), that it compares their served generation up to the horizon, and how it sorts what it finds: a gap
 * whose aggregate has a parked dead letter of that projection is parked, any other is skipped and makes the
 * projection's status GAPS. Which gaps the comparison finds is a query on the event store and the projection tables,
 * answered here with fixed rows; whether that query is right needs PostgreSQL and the integration tests.
 */
class ProjectionGapAuditTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ORDER_EVENTS = "io.orderflow.order.api.";

    /** The rows each projection's comparison answers, and the dead-letter sequences parked per processing group. */
    private final Map<String, List<Object[]>> gapRows = new HashMap<>();
    private final Map<String, List<String>> parked = new HashMap<>();
    /** The parameters each projection's comparison was asked with. */
    private final Map<String, List<Object>> compared = new LinkedHashMap<>();

    private ProjectionGenerations generations;
    private ProjectionGapAudit audit;

    @BeforeEach
    void setUp() {
        generations = Mockito.mock(ProjectionGenerations.class);
        Mockito.when(generations.rebuildOf(Mockito.anyString())).thenReturn(Optional.empty());
        audit = new ProjectionGapAudit(jdbc(), generations, Optional.of(Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private JdbcTemplate jdbc() {
        return Mockito.mock(JdbcTemplate.class, invocation -> {
            Object[] args = invocation.getRawArguments();
            switch (invocation.getMethod().getName()) {
                case "queryForList" -> {
                    return parked.getOrDefault((String) ((Object[]) args[2])[0], List.of());
                }
                case "query" -> {
                    String projection = projectionComparedBy((String) args[0]);
                    compared.put(projection, List.of((Object[]) args[2]));
                    List<Object> gaps = new ArrayList<>();
                    for (Object[] row : gapRows.getOrDefault(projection, List.of())) {
                        gaps.add(((RowMapper<?>) args[1]).mapRow(CannedRows.row(row), gaps.size()));
                    }
                    return gaps;
                }
                case "toString" -> {
                    return "gap audit JDBC";
                }
                default -> throw new UnsupportedOperationException("unexpected JDBC call " + invocation);
            }
        });
    }

    private static String projectionComparedBy(String sql) {
        if (sql.contains("JOIN order_summary")) {
            return ProjectionProcessors.ORDER_SUMMARY;
        } else if (sql.contains("JOIN customer_profile")) {
            return ProjectionProcessors.CUSTOMER_PROFILE;
        } else if (sql.contains("JOIN analytics_order")) {
            return ProjectionProcessors.ANALYTICS;
        }
        throw new UnsupportedOperationException(sql);
    }

    @Test
    void givenGaps_whenAudited_thenThoseWithAParkedDeadLetterOfThatProjectionAreParkedAndTheRestSkipped() {
        gapRows.put(ProjectionProcessors.ORDER_SUMMARY, List.of(
                new Object[] {"order-a", 5L, 3L, ORDER_EVENTS + "OrderCompletedEvent"},
                new Object[] {"order-b", 2L, null, ORDER_EVENTS + "OrderStockReservedEvent"}));
        gapRows.put(ProjectionProcessors.ANALYTICS, List.<Object[]>of(
                new Object[] {"order-c", 0L, ORDER_EVENTS + "OrderAcceptedEvent"}));
        parked.put(ProjectionProcessors.ORDER_SUMMARY, List.of("order-a"));
        // Parked in another projection: explains nothing in the order summary.
        parked.put(ProjectionProcessors.CUSTOMER_PROFILE, List.of("order-b"));

        GapAudit.Report report = audit.audit(Map.of(ProjectionProcessors.ORDER_SUMMARY, 100L,
                ProjectionProcessors.CUSTOMER_PROFILE, 90L, ProjectionProcessors.ANALYTICS, 80L));

        assertThat(report.at()).isEqualTo(NOW);
        assertThat(report.projections()).containsExactly(
                new ProjectionResult(ProjectionProcessors.ORDER_SUMMARY, "GAPS", 100L,
                        List.of(new Gap("order-b", 2, null, "OrderStockReservedEvent")),
                        List.of(new Gap("order-a", 5, 3L, "OrderCompletedEvent"))),
                new ProjectionResult(ProjectionProcessors.CUSTOMER_PROFILE, "OK", 90L, List.of(), List.of()),
                new ProjectionResult(ProjectionProcessors.ANALYTICS, "GAPS", 80L,
                        List.of(new Gap("order-c", 0, null, "OrderAcceptedEvent")), List.of()));
        assertThat(report.skipped()).isEqualTo(2);
    }

    @Test
    void givenOnlyParkedGaps_whenAudited_thenTheProjectionIsOk() {
        gapRows.put(ProjectionProcessors.CUSTOMER_PROFILE, List.<Object[]>of(
                new Object[] {"customer-a", 4L, 2L, "io.orderflow.customer.api.AddressChangedEvent"}));
        parked.put(ProjectionProcessors.CUSTOMER_PROFILE, List.of("customer-a"));

        ProjectionResult result = audit.audit(Map.of(ProjectionProcessors.CUSTOMER_PROFILE, 7L)).projections().get(1);

        assertThat(result.status()).isEqualTo("OK");
        assertThat(result.skipped()).isEmpty();
        assertThat(result.parked()).containsExactly(new Gap("customer-a", 4, 2L, "AddressChangedEvent"));
    }

    @Test
    void givenAProjectionWithoutHorizonOrRebuilding_whenAudited_thenItIsNotAuditedAndNotCompared() {
        Mockito.when(generations.rebuildOf(ProjectionProcessors.CUSTOMER_PROFILE)).thenReturn(Optional.of(
                new ProjectionRebuilds.Rebuild(ProjectionProcessors.CUSTOMER_PROFILE, 0, 1, NOW)));

        GapAudit.Report report = audit.audit(Map.of(ProjectionProcessors.ORDER_SUMMARY, 100L,
                ProjectionProcessors.CUSTOMER_PROFILE, 100L));

        assertThat(report.projections()).extracting(ProjectionResult::projection, ProjectionResult::status,
                ProjectionResult::horizon).containsExactly(
                Tuple.tuple(ProjectionProcessors.ORDER_SUMMARY, "OK", 100L),
                Tuple.tuple(ProjectionProcessors.CUSTOMER_PROFILE, "NOT_AUDITED", null),
                Tuple.tuple(ProjectionProcessors.ANALYTICS, "NOT_AUDITED", null));
        assertThat(compared).containsOnlyKeys(ProjectionProcessors.ORDER_SUMMARY);
    }

    @Test
    void givenHorizons_whenAudited_thenEachProjectionsServedGenerationIsComparedUpToItsHorizon() {
        Mockito.when(generations.serving(ProjectionProcessors.ORDER_SUMMARY)).thenReturn(4);
        Mockito.when(generations.serving(ProjectionProcessors.CUSTOMER_PROFILE)).thenReturn(2);
        Mockito.when(generations.serving(ProjectionProcessors.ANALYTICS)).thenReturn(7);

        audit.audit(Map.of(ProjectionProcessors.ORDER_SUMMARY, 100L, ProjectionProcessors.CUSTOMER_PROFILE, 90L,
                ProjectionProcessors.ANALYTICS, 80L));

        assertThat(compared.get(ProjectionProcessors.ORDER_SUMMARY)).startsWith(4, "Order", 100L);
        assertThat(compared.get(ProjectionProcessors.CUSTOMER_PROFILE)).startsWith(2, "CustomerProfile", 90L);
        assertThat(compared.get(ProjectionProcessors.ANALYTICS)).startsWith(7, 80L);
    }
}
