/**
 * The customer-profile context: the CustomerProfile aggregate (addresses and their versions) and its published
 * contract in the {@code api} sub-package.
 */
package io.orderflow.customer;
