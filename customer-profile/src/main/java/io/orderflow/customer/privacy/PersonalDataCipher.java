package io.orderflow.customer.privacy;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * AES-256-GCM for personal data: a customer's fields under the customer's data key, and each data key wrapped under
 * the master key. Every ciphertext is bound to its customer (the customer id is the additional authenticated data),
 * so a field or a key moved to another customer does not decrypt.
 *
 * <p>A field is written as {@value #PREFIX} followed by base64url of a fresh 12-byte nonce and the ciphertext with
 * its 16-byte tag. Text without the prefix is plain text (data written before encryption existed).
 */
public final class PersonalDataCipher {

    /** Marks an encrypted field; the digit is the format's version. */
    public static final String PREFIX = "pd1:";
    static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String AES_GCM = "AES/GCM/NoPadding";

    private final SecretKey masterKey;
    private final SecureRandom random = new SecureRandom();

    /** @param masterKey 32 bytes, base64 (standard or url-safe): the key that wraps every customer's data key */
    public PersonalDataCipher(String masterKey) {
        this.masterKey = new SecretKeySpec(decodeMasterKey(masterKey), "AES");
    }

    /** A new master key, base64: what an operator puts into {@code ORDERFLOW_PERSONAL_DATA_MASTER_KEY}. */
    public static String newMasterKey() {
        return Base64.getEncoder().encodeToString(newKey().getEncoded());
    }

    static byte[] decodeMasterKey(String encoded) {
        Objects.requireNonNull(encoded, "the personal data master key is not set");
        byte[] key;
        try {
            String trimmed = encoded.trim();
            key = trimmed.contains("-") || trimmed.contains("_") ? Base64.getUrlDecoder().decode(trimmed)
                    : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the personal data master key must be base64", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the personal data master key must be " + KEY_BYTES
                    + " bytes (base64 of 32 random bytes, such as `openssl rand -base64 32` makes), was "
                    + key.length);
        }
        return key;
    }

    /** A new random data key for one customer. */
    public static SecretKey newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(KEY_BYTES * 8);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available in this JVM", e);
        }
    }

    /** The data key encrypted under the master key, bound to its customer: what the key table keeps. */
    public byte[] wrap(UUID customerId, SecretKey dataKey) {
        return seal(masterKey, customerId, dataKey.getEncoded());
    }

    /** The data key back from its wrapped form; fails if it was made for another customer or another master key. */
    public SecretKey unwrap(UUID customerId, byte[] wrapped) {
        try {
            return new SecretKeySpec(open(masterKey, customerId, wrapped), "AES");
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the data key of customer " + customerId + " does not open with the "
                    + "configured master key (is ORDERFLOW_PERSONAL_DATA_MASTER_KEY the one it was made with?)", e);
        }
    }

    /** {@code text} encrypted under the customer's key, in the field format ({@value #PREFIX}...). */
    public String encrypt(UUID customerId, SecretKey dataKey, String text) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(seal(dataKey, customerId, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The text of a field in the field format; fails if it is not one, or not the customer's. */
    public String decrypt(UUID customerId, SecretKey dataKey, String field) {
        if (!isEncrypted(field)) {
            throw new IllegalArgumentException("not an encrypted field");
        }
        try {
            byte[] sealed = Base64.getUrlDecoder().decode(field.substring(PREFIX.length()));
            return new String(open(dataKey, customerId, sealed), StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new IllegalStateException("a personal data field of customer " + customerId
                    + " does not decrypt with that customer's key", e);
        }
    }

    /** Whether {@code field} is in the encrypted field format (rather than plain text). */
    public static boolean isEncrypted(String field) {
        return field != null && field.startsWith(PREFIX);
    }

    private byte[] seal(SecretKey key, UUID customerId, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(AES_GCM);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(customerId));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static byte[] open(SecretKey key, UUID customerId, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("too short to be a sealed value");
        }
        try {
            Cipher cipher = Cipher.getInstance(AES_GCM);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(customerId));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    private static byte[] associatedData(UUID customerId) {
        return customerId.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
