-- When a customer's personal data was erased (docs/adr/0032): their row then holds [erased] in place of the name,
-- e-mail address and the addresses' personal parts.
ALTER TABLE customer_profile ADD COLUMN erased_at TIMESTAMP WITH TIME ZONE;
