package io.orderflow.projections.generation;

import io.orderflow.projections.api.ProjectionChanges;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the rows a projection's unit of work changes and, as it prepares to commit, notifies them on
 * {@link ProjectionChanges#CHANNEL} in the same transaction (PostgreSQL delivers the notification on commit, and
 * drops it on rollback). One statement per unit of work (a batch of events), a few for a large batch.
 */
@Component
public class ChangeNotices {

    /** Ids per notification: PostgreSQL takes payloads of up to 8000 bytes; a UUID is 36 characters. */
    private static final int IDS_PER_NOTICE = 150;

    private final JdbcTemplate jdbc;

    ChangeNotices(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Notes that the projection changed the row of {@code id} in the current unit of work. */
    public void changed(String projection, Object id) {
        if (!CurrentUnitOfWork.isStarted()) {
            notifyChanged(projection, List.of(id));
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Set<String> ids = root.getOrComputeResource(ChangeNotices.class.getName() + "." + projection, key -> {
            Set<String> collected = new LinkedHashSet<>();
            root.onPrepareCommit(unitOfWork -> notifyChanged(projection, collected));
            return collected;
        });
        ids.add(id.toString());
    }

    /** Notifies, now and in the current transaction, that the projection changed the rows of these ids. */
    public void notifyChanged(String projection, java.util.Collection<?> changed) {
        List<String> ids = changed.stream().map(Object::toString).toList();
        for (int from = 0; from < ids.size(); from += IDS_PER_NOTICE) {
            String payload = projection + "|" + String.join(",", ids.subList(from,
                    Math.min(ids.size(), from + IDS_PER_NOTICE)));
            jdbc.queryForList("SELECT pg_notify(?, ?)", ProjectionChanges.CHANNEL, payload);
        }
    }
}
