package io.orderflow.infra.auth;

import io.orderflow.infra.support.OwnerOnlyFiles;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * What the embedded issuer must keep across restarts, under {@code <ORDERFLOW_HOME>/auth}: its signing key (so that
 * tokens issued before a restart stay valid), the secrets of its clients and the operator's password. Made at the
 * first start, readable by the owner only.
 *
 * @param signingKey     the RSA key tokens are signed with (private part included)
 * @param clientSecrets  client id to secret, for the clients that have one
 * @param operatorPassword the password of the {@code operator} user, who signs in to the dashboard
 */
public record IssuerSecrets(RSAKey signingKey, Properties clientSecrets, String operatorPassword) {

    static final String KEY_FILE = "signing-key.json";
    static final String SECRETS_FILE = "secrets.properties";

    /** Reads the secrets under {@code directory}, making what is missing. */
    public static IssuerSecrets loadOrCreate(Path directory) {
        try {
            Files.createDirectories(directory);
            ownerOnly(directory, "rwx------");
            RSAKey key = loadOrCreateKey(directory.resolve(KEY_FILE));
            Properties secrets = loadOrCreateSecrets(directory.resolve(SECRETS_FILE));
            Properties clients = new Properties();
            for (String client : EmbeddedIssuer.CONFIDENTIAL_CLIENTS) {
                clients.setProperty(client, secrets.getProperty("client." + client));
            }
            return new IssuerSecrets(key, clients, secrets.getProperty("user.operator"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the issuer's secrets in " + directory, e);
        }
    }

    public String secretOf(String clientId) {
        String secret = clientSecrets.getProperty(clientId);
        if (secret == null) {
            throw new IllegalArgumentException("the embedded issuer has no client " + clientId);
        }
        return secret;
    }

    private static RSAKey loadOrCreateKey(Path file) throws IOException {
        if (Files.exists(file)) {
            try {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new IllegalStateException("the issuer's signing key in " + file + " is not readable; remove "
                        + "it to make a new one (tokens issued with the old one stop being valid)", e);
            }
        }
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("cannot make an RSA signing key", e);
        }
        writeOwnerOnly(file, key.toJSONString());
        return key;
    }

    private static Properties loadOrCreateSecrets(Path file) throws IOException {
        List<String> keys = new ArrayList<>();
        for (String client : EmbeddedIssuer.CONFIDENTIAL_CLIENTS) {
            keys.add("client." + client);
        }
        keys.add("user.operator");
        return OwnerOnlyFiles.loadWithSecrets(file, keys,
                "Secrets of the embedded issuer: client secrets and the operator's password");
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        OwnerOnlyFiles.write(file, text);
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        OwnerOnlyFiles.restrict(path, permissions);
    }
}
