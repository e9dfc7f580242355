/**
 * The fulfillment context: the fulfillment saga and its participants (inventory, payment, shipment) and the
 * local delivery-address projection. It learns about orders and customers only from Kafka.
 */
package io.orderflow.fulfillment;
