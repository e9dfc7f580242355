package io.orderflow.gateway.testkit.judge;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The effects a customer or the business would see twice if a recovery repeated them: charges, reservations,
 * shipments, e-mails and invoices, each counted per order from the tables that record them. A recovery drill counts
 * them before the loss and after the recovery; {@code after.of(orders).minus(before.of(orders))} must be empty.
 *
 * @param counts per kind of effect, the number of rows per order
 */
public record BusinessEffects(Map<String, Map<UUID, Long>> counts) {

    /** Counts every effect of every order now. */
    public static BusinessEffects count(JdbcTemplate jdbc) {
        Map<String, Map<UUID, Long>> counts = new TreeMap<>();
        counts.put("charges", perOrder(jdbc, "SELECT order_id::uuid, count(*) FROM payment_simulator.ledger "
                + "WHERE status = 'AUTHORIZED' GROUP BY order_id"));
        counts.put("reservations", perOrder(jdbc, "SELECT order_id, count(*) FROM stock_reservation GROUP BY order_id"));
        counts.put("shipments", perOrder(jdbc, "SELECT order_id, count(*) FROM shipment GROUP BY order_id"));
        counts.put("emails", perOrder(jdbc, "SELECT order_id, count(*) FROM notification GROUP BY order_id"));
        counts.put("invoices", perOrder(jdbc, "SELECT order_id, count(*) FROM billing_document GROUP BY order_id"));
        return new BusinessEffects(counts);
    }

    /** Only the effects of {@code orders}. */
    public BusinessEffects of(Set<UUID> orders) {
        Map<String, Map<UUID, Long>> kept = new TreeMap<>();
        counts.forEach((effect, perOrder) -> {
            Map<UUID, Long> mine = new HashMap<>(perOrder);
            mine.keySet().retainAll(orders);
            kept.put(effect, mine);
        });
        return new BusinessEffects(kept);
    }

    /** What this count has beyond {@code earlier}: effects made again. */
    public BusinessEffects minus(BusinessEffects earlier) {
        Map<String, Map<UUID, Long>> more = new TreeMap<>();
        counts.forEach((effect, perOrder) -> {
            Map<UUID, Long> extra = new HashMap<>();
            perOrder.forEach((order, count) -> {
                long was = earlier.counts.getOrDefault(effect, Map.of()).getOrDefault(order, 0L);
                if (count > was) {
                    extra.put(order, count - was);
                }
            });
            more.put(effect, extra);
        });
        return new BusinessEffects(more);
    }

    /** Whether there is no effect at all. */
    public boolean none() {
        return total() == 0;
    }

    /** The number of effects, all kinds together. */
    public long total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
        Map<String, Long> totals = new TreeMap<>();
        counts.forEach((effect, perOrder) -> totals.put(effect,
                perOrder.values().stream().mapToLong(Long::longValue).sum()));
        return totals.toString();
    }

    private static Map<UUID, Long> perOrder(JdbcTemplate jdbc, String sql) {
        Map<UUID, Long> counts = new HashMap<>();
        jdbc.query(sql, row -> {
            counts.put(row.getObject(1, UUID.class), row.getLong(2));
        });
        return counts;
    }
}
