/**
 * The customer-profile context: the CustomerProfile aggregate (addresses and their versions), and in
 * {@code privacy} the customers' data keys and the serializer that keeps their personal data encrypted wherever it is
 * written, erased with the key (docs/adr/0032). Its published language, {@code io.orderflow.customer.api}, is the
 * module {@code customer-api}.
 */
package io.orderflow.customer;
