-- An Idempotency-Key belongs to whoever sent it: two callers choosing the same key never meet (and cannot learn of
-- each other's orders through a 422). Keys from before authentication belong to no one ('').
ALTER TABLE idempotency_key ADD COLUMN principal VARCHAR(200) NOT NULL DEFAULT '';
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_pkey;
ALTER TABLE idempotency_key ADD PRIMARY KEY (principal, idempotency_key);
-- Keys expire (orderflow.api.idempotency-key-ttl): the purge finds them by age.
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
