package io.orderflow.billing.invoice;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gapless document numbers, one sequence per series ({@code INV}, {@code CRN}) and year.
 *
 * <p>Taking a number increments the series' row and keeps it locked until the caller's transaction ends, in the
 * same transaction that stores the document, its event and the processor's token. A transaction that rolls back
 * (a crash, a failed batch, a lost database) gives its number back with everything else, and the next document takes
 * it; a concurrent one waits for the lock and takes the following number. So numbers are unique and have no gaps,
 * at the price that documents of one series are issued one transaction at a time (ADR 0024). A database sequence
 * would be faster and is not gapless: it never gives a number back.
 */
@Component
class DocumentNumbers {

    /** The document number's digits after the year: a million documents per series and year before it widens. */
    private static final int DIGITS = 6;

    private final JdbcTemplate jdbc;

    DocumentNumbers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A number taken, with its parts. */
    record Number(String series, int year, int sequence) {

        /** {@code INV-2026-000001}. */
        String text() {
            return series + "-" + year + "-" + String.format("%0" + DIGITS + "d", sequence);
        }
    }

    /** The next number of the series in the year; must run in the transaction that stores the document. */
    Number next(String series, int year) {
        Integer sequence = jdbc.queryForObject("insert into billing_number_series (series, year, last_number) "
                + "values (?, ?, 1) on conflict (series, year) do update "
                + "set last_number = billing_number_series.last_number + 1 returning last_number", Integer.class,
                series, year);
        return new Number(series, year, sequence);
    }
}
