package io.orderflow.customer.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orderflow.values.PersonalData;

import javax.crypto.SecretKey;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The personal fields of one serialized object (a JSON tree), encrypted or decrypted in place with its customer's
 * key: what {@link PersonalDataSerializer} does to everything Axon writes and reads, and what the migration of data
 * written before encryption does to the stored rows.
 */
final class PersonalFields {

    private PersonalFields() {
    }

    /**
     * Encrypts the plain personal fields; an erased customer's are written {@link PersonalData#ERASED}. Answers how
     * many fields changed.
     *
     * @param keepEncrypted whether a field already in the encrypted format stays as it is (stored data); an object's
     *                      own fields are always plain text, even one a client gave that looks encrypted
     */
    static int encrypt(ObjectNode root, PersonalDataShape shape, CustomerDataKeys keys, String typeName,
                       boolean keepEncrypted) {
        UUID customer = customerOf(root, shape);
        if (customer == null) {
            if (anyText(root, shape)) {
                throw new IllegalStateException("a " + typeName + " holds personal data but names no customer to "
                        + "encrypt it for (its " + shape.subject() + " is missing)");
            }
            return 0;
        }
        Optional<SecretKey> key = null;
        int changed = 0;
        for (List<String> path : shape.paths()) {
            ObjectNode parent = parentOf(root, path);
            String name = path.get(path.size() - 1);
            JsonNode leaf = parent == null ? null : parent.get(name);
            if (leaf == null || !leaf.isTextual()) {
                continue;
            }
            String text = leaf.textValue();
            if (PersonalData.ERASED.equals(text) || keepEncrypted && PersonalDataCipher.isEncrypted(text)) {
                continue;
            }
            if (key == null) {
                key = keys.forWriting(customer);
            }
            parent.put(name, key.isPresent() ? keys.cipher().encrypt(customer, key.get(), text) : PersonalData.ERASED);
            changed++;
        }
        return changed;
    }

    /** Decrypts the encrypted personal fields; those of an erased customer read {@link PersonalData#ERASED}. */
    static void decrypt(ObjectNode root, PersonalDataShape shape, CustomerDataKeys keys) {
        UUID customer = customerOf(root, shape);
        if (customer == null) {
            return; // written before encryption existed, without a customer: plain text
        }
        Optional<SecretKey> key = null;
        for (List<String> path : shape.paths()) {
            ObjectNode parent = parentOf(root, path);
            String name = path.get(path.size() - 1);
            JsonNode leaf = parent == null ? null : parent.get(name);
            if (leaf == null || !leaf.isTextual() || !PersonalDataCipher.isEncrypted(leaf.textValue())) {
                continue;
            }
            if (key == null) {
                key = keys.forReading(customer);
            }
            parent.put(name, key.isPresent() ? keys.cipher().decrypt(customer, key.get(), leaf.textValue())
                    : PersonalData.ERASED);
        }
    }

    /** Whether the object names the customer its personal data belongs to. */
    static boolean namesCustomer(ObjectNode root, PersonalDataShape shape) {
        return customerOf(root, shape) != null;
    }

    private static boolean anyText(ObjectNode root, PersonalDataShape shape) {
        for (List<String> path : shape.paths()) {
            ObjectNode parent = parentOf(root, path);
            JsonNode leaf = parent == null ? null : parent.get(path.get(path.size() - 1));
            if (leaf != null && leaf.isTextual()) {
                return true;
            }
        }
        return false;
    }

    private static UUID customerOf(ObjectNode root, PersonalDataShape shape) {
        JsonNode subject = root.get(shape.subject());
        if (subject == null || !subject.isTextual()) {
            return null;
        }
        return UUID.fromString(subject.textValue());
    }

    private static ObjectNode parentOf(ObjectNode root, List<String> path) {
        JsonNode node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            node = node.get(path.get(i));
            if (node == null || !node.isObject()) {
                return null;
            }
        }
        return (ObjectNode) node;
    }
}
