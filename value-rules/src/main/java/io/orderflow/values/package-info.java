/**
 * What the values of every published language share: {@link io.orderflow.values.Required}, the checks for a
 * required part and the one rule for required text, and {@link io.orderflow.values.ValueViolation}, the exception a
 * value throws when it refuses its input, naming the field. Each value keeps its own rules; only rules that several
 * values have live here.
 */
package io.orderflow.values;
