/**
 * The customer-profile context: the CustomerProfile aggregate (addresses and their versions). Its published language,
 * {@code io.orderflow.customer.api}, is the module {@code customer-api}.
 */
package io.orderflow.customer;
