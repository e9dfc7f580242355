package io.orderflow.projections.generation;

import io.orderflow.projections.api.ProjectionProcessors;
import io.orderflow.projections.api.ProjectionRebuilds;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generations of the replayable projections (ADR 0010). Each row of such a projection carries a generation;
 * reads use the served one, the projection's handlers write the building one. Outside a rebuild they are equal.
 * A reset (a replay) starts a new building generation while reads stay on the old, complete one; once the replay
 * has caught up, {@link #finishRebuild} serves the new generation and deletes the old rows.
 */
@Component
public class ProjectionGenerations implements ProjectionRebuilds {

    /** The table of each replayable projection, keyed by (generation, ...). */
    private static final Map<String, String> TABLES = Map.of(
            ProjectionProcessors.ORDER_SUMMARY, "order_summary",
            ProjectionProcessors.CUSTOMER_PROFILE, "customer_profile",
            ProjectionProcessors.ANALYTICS, "analytics_order");

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionGenerations.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    /** When each projection's rebuild was last reported as not holding all rows yet. */
    private final Map<String, Instant> shortWarnings = new java.util.concurrent.ConcurrentHashMap<>();

    ProjectionGenerations(JdbcTemplate jdbc, TransactionTemplate transactions, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock.orElseGet(Clock::systemUTC);
    }

    @Override
    public List<String> projections() {
        return TABLES.keySet().stream().sorted().toList();
    }

    /**
     * The generation the projection's handlers write. Read once per unit of work, so that every event of a batch
     * goes to the same generation even if a rebuild finishes meanwhile.
     */
    public int writing(String projection) {
        if (CurrentUnitOfWork.isStarted()) {
            return CurrentUnitOfWork.get().root()
                    .getOrComputeResource("orderflow.generation." + projection, key -> readBuilding(projection));
        }
        return readBuilding(projection);
    }

    /** The generation that reads see. */
    public int serving(String projection) {
        return jdbc.queryForObject("SELECT served FROM projection_generation WHERE projection = ?", Integer.class,
                known(projection));
    }

    @Override
    public Optional<Rebuild> rebuildOf(String projection) {
        return jdbc.query("SELECT served, building, rebuild_started_at FROM projection_generation "
                        + "WHERE projection = ? AND building <> served",
                (row, i) -> new Rebuild(projection, row.getInt(1), row.getInt(2),
                        row.getTimestamp(3).toInstant()), known(projection)).stream().findFirst();
    }

    @Override
    public Optional<Instant> lastRebuiltAt(String projection) {
        return jdbc.query("SELECT switched_at FROM projection_generation WHERE projection = ? "
                        + "AND switched_at IS NOT NULL", (row, i) -> row.getTimestamp(1).toInstant(),
                known(projection)).stream().findFirst();
    }

    /**
     * Starts writing a new generation, called by the projection's reset handler in the reset's transaction. The
     * reads keep the served generation. A rebuild started again while one is running starts over on the same
     * building generation.
     */
    public void beginRebuild(String projection) {
        jdbc.update("UPDATE projection_generation SET building = served + 1, rebuild_started_at = ? "
                + "WHERE projection = ?", Timestamp.from(clock.instant()), known(projection));
        int building = readBuilding(projection);
        // Rows left by a rebuild that was itself reset.
        jdbc.update("DELETE FROM " + TABLES.get(projection) + " WHERE generation = ?", building);
        LOG.info("Rebuilding projection {} as generation {}; reads keep the previous generation until the replay "
                + "has caught up", projection, building);
    }

    /**
     * Serves the rebuilt generation and deletes the old one's rows, if a rebuild runs and the rebuilt generation
     * holds at least as many rows as the served one. A replay never loses a row the live projection built, so fewer
     * rows mean the replay has not written them all yet, whatever its tokens say: reads then stay on the complete
     * data, and the next check tries again (the log says why, at most every 30 s).
     */
    @Override
    public boolean finishRebuild(String projection) {
        String table = TABLES.get(known(projection));
        Boolean finished = transactions.execute(status -> {
            int[] rebuild = jdbc.query("SELECT served, building FROM projection_generation WHERE projection = ? "
                            + "AND building <> served FOR UPDATE", (row, i) -> new int[] {row.getInt(1), row.getInt(2)},
                    projection).stream().findFirst().orElse(null);
            if (rebuild == null) {
                return false;
            }
            int old = rebuild[0];
            int rebuilt = rebuild[1];
            long[] rows = jdbc.query("SELECT count(*) FILTER (WHERE generation = ?), "
                            + "count(*) FILTER (WHERE generation = ?) FROM " + table + " WHERE generation IN (?, ?)",
                    (row, i) -> new long[] {row.getLong(1), row.getLong(2)}, old, rebuilt, old, rebuilt).get(0);
            if (rows[1] < rows[0]) {
                Instant now = clock.instant();
                Instant last = shortWarnings.get(projection);
                if (last == null || last.isBefore(now.minusSeconds(30))) {
                    shortWarnings.put(projection, now);
                    LOG.warn("Rebuild of {} not switched to yet: its replay has caught up by its tokens, but the "
                            + "rebuilt generation {} holds {} rows against {} served; reads stay on the served data",
                            projection, rebuilt, rows[1], rows[0]);
                }
                return false;
            }
            jdbc.update("UPDATE projection_generation SET served = building, rebuild_started_at = NULL, "
                    + "switched_at = ? WHERE projection = ?", Timestamp.from(clock.instant()), projection);
            jdbc.update("DELETE FROM " + table + " WHERE generation = ?", old);
            return true;
        });
        if (Boolean.TRUE.equals(finished)) {
            shortWarnings.remove(projection);
            LOG.info("Projection {} rebuilt: reads now see the rebuilt generation", projection);
        }
        return Boolean.TRUE.equals(finished);
    }

    private int readBuilding(String projection) {
        return jdbc.queryForObject("SELECT building FROM projection_generation WHERE projection = ?", Integer.class,
                known(projection));
    }

    private static String known(String projection) {
        if (!TABLES.containsKey(projection)) {
            throw new IllegalArgumentException("not a replayable projection: " + projection);
        }
        return projection;
    }
}
