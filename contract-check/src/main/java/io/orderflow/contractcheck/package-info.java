/**
 * Event contracts (ADR 0005): the JSON Schema of every event revision, derived from the event record by
 * {@link io.orderflow.contractcheck.EventSchemas}, committed beside the module's code, and compared with the classes and
 * the upcasters on every build by {@link io.orderflow.contractcheck.ContractCheck}. The committed schemas are read back
 * as {@link io.orderflow.contractcheck.CommittedContract}s to serve them.
 */
package io.orderflow.contractcheck;
