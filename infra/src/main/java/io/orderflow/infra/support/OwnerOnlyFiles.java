package io.orderflow.infra.support;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Properties;

/**
 * Secrets the embedded servers make at their first start and keep under {@code ORDERFLOW_HOME}: random values, in
 * files only the owner can read, written so that no reader ever sees half a file or a file with wider permissions.
 */
public final class OwnerOnlyFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnerOnlyFiles() {
    }

    /** 24 random bytes, base64url without padding (32 characters, safe in URLs, SQL literals and properties). */
    public static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Reads the properties in {@code file} and adds a random secret for each of {@code keys} it lacks; if any was
     * added, the file is written again, owner-only, with {@code comment} on top.
     */
    public static Properties loadWithSecrets(Path file, Collection<String> keys, String comment) throws IOException {
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(reader);
            }
        }
        boolean added = false;
        for (String key : keys) {
            if (values.getProperty(key) == null) {
                values.setProperty(key, randomSecret());
                added = true;
            }
        }
        if (added) {
            StringWriter text = new StringWriter();
            values.store(text, comment);
            write(file, text.toString());
        }
        return values;
    }

    /** Written aside, made owner-only, then moved: the file never exists with wider permissions. */
    public static void write(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary);
        restrict(temporary, "rw-------");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sets POSIX permissions ({@code "rw-------"}, {@code "rwx------"}) where the file system has them. */
    public static void restrict(Path path, String permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
