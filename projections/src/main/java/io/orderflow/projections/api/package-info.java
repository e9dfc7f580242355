/**
 * The read side's query contract: the queries the projections answer and the views they answer with.
 */
package io.orderflow.projections.api;
