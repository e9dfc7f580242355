package io.orderflow.customer.privacy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.orderflow.customer.api.CustomerId;
import io.orderflow.customer.api.ErasedCustomers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.crypto.SecretKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One data key per customer, in the table {@code customer_data_key}, each wrapped under the master key; erasing a
 * customer deletes the key and records the erasure in {@code customer_erasure}, after which nothing encrypted for the
 * customer can be read again, and nothing new is encrypted for them (their fields are written erased).
 *
 * <p>Keys are made on first use, in the transaction that uses them (which may be the one appending the events
 * encrypted with it), so a key and the first data under it commit together. Opened keys are cached in memory; a key
 * made in a transaction enters the cache only once it commits. Another instance's cache may still hold an erased key
 * for up to {@code cacheTtl} (docs/adr/0032).
 */
public class CustomerDataKeys implements ErasedCustomers {

    private static final Logger log = LoggerFactory.getLogger(CustomerDataKeys.class);

    /** What the cache holds for an erased customer. */
    private static final Optional<SecretKey> ERASED = Optional.empty();

    private final JdbcTemplate jdbc;
    private final PersonalDataCipher cipher;
    private final Cache<UUID, Optional<SecretKey>> cache;

    public CustomerDataKeys(JdbcTemplate jdbc, PersonalDataCipher cipher, Duration cacheTtl) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.cache = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(cacheTtl).build();
    }

    public PersonalDataCipher cipher() {
        return cipher;
    }

    /** The customer's key to read their data with; empty if it was erased (or never made). */
    public Optional<SecretKey> forReading(UUID customerId) {
        Optional<SecretKey> cached = cache.getIfPresent(customerId);
        if (cached != null) {
            return cached;
        }
        Optional<SecretKey> key = load(customerId);
        if (key.isPresent() || erased(customerId)) {
            remember(customerId, key);
        }
        return key;
    }

    /** The customer's key to write their data with, made if they have none; empty if the customer was erased. */
    public Optional<SecretKey> forWriting(UUID customerId) {
        Optional<SecretKey> cached = cache.getIfPresent(customerId);
        if (cached != null) {
            return cached;
        }
        Optional<SecretKey> key = load(customerId);
        if (key.isPresent()) {
            remember(customerId, key);
            return key;
        }
        if (erased(customerId)) {
            remember(customerId, ERASED);
            return ERASED;
        }
        SecretKey made = PersonalDataCipher.newKey();
        // A concurrent first use for the same customer waits here for the other transaction and then finds its key.
        int inserted = jdbc.update("INSERT INTO customer_data_key (customer_id, wrapped_key) VALUES (?, ?) "
                + "ON CONFLICT (customer_id) DO NOTHING", customerId, cipher.wrap(customerId, made));
        Optional<SecretKey> kept = inserted == 1 ? Optional.of(made) : load(customerId);
        if (kept.isEmpty()) {
            // Erased between our look and our insert: the erasure's delete won.
            return ERASED;
        }
        remember(customerId, kept);
        return kept;
    }

    /**
     * Erases the customer's key for good and records the erasure. Answers whether the customer was erased by this
     * call (false if they had been already).
     */
    public boolean erase(UUID customerId, String requestedBy) {
        int recorded = jdbc.update("INSERT INTO customer_erasure (customer_id, requested_by) VALUES (?, ?) "
                + "ON CONFLICT (customer_id) DO NOTHING", customerId, requestedBy);
        int deleted = jdbc.update("DELETE FROM customer_data_key WHERE customer_id = ?", customerId);
        // Forgotten once the deletion has committed (the next use finds no key); not before, or a reader in between
        // would write the customer's data erased even if this transaction rolled back.
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    cache.invalidate(customerId);
                }
            });
        } else {
            cache.invalidate(customerId);
        }
        log.info("Customer {}: data key {} ({})", customerId, deleted == 1 ? "erased" : "was already gone",
                recorded == 1 ? "erasure recorded" : "erased before");
        return recorded == 1;
    }

    @Override
    public boolean erased(CustomerId customerId) {
        return erased(customerId.value());
    }

    /** Whether the customer's data was erased. */
    public boolean erased(UUID customerId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM customer_erasure WHERE customer_id = ?)", Boolean.class, customerId));
    }

    private Optional<SecretKey> load(UUID customerId) {
        List<byte[]> wrapped = jdbc.query("SELECT wrapped_key FROM customer_data_key WHERE customer_id = ?",
                (row, n) -> row.getBytes(1), customerId);
        return wrapped.isEmpty() ? Optional.empty() : Optional.of(cipher.unwrap(customerId, wrapped.get(0)));
    }

    /**
     * Caches what was read, once the transaction it was read in commits: within a transaction a read may see the
     * transaction's own key, which a rollback takes back.
     */
    private void remember(UUID customerId, Optional<SecretKey> key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            cache.put(customerId, key);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                cache.put(customerId, key);
            }
        });
    }
}
