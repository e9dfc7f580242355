package io.orderflow.infra.kafka;

import io.orderflow.infra.support.OwnerOnlyFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What an embedded cluster needs to listen with SASL (SCRAM-SHA-512) over TLS: a certificate authority and a broker
 * certificate for 127.0.0.1, made with the JDK's {@code keytool} at the first start, and one SCRAM password per
 * principal ({@link KafkaPrincipal}), all kept under the cluster's directory in files only the owner can read.
 *
 * <p>Clients reach the brokers on a {@code SASL_SSL} listener and are authorized by KRaft's
 * {@code StandardAuthorizer} against the ACLs of their principal (no ACL, no access). The brokers talk to the
 * controllers over mutual TLS with the broker certificate; the broker principal is the only super user.
 */
public final class KafkaSecurity {

    /** The SASL mechanism every principal uses. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The subject of the brokers' certificate; the controllers know the brokers by it (mutual TLS). */
    static final String BROKER_SUBJECT = "CN=orderflow-broker";

    private static final String CA_ALIAS = "orderflow-kafka-ca";
    private static final String BROKER_ALIAS = "orderflow-broker";

    private final Path directory;
    private final Properties secrets;

    private KafkaSecurity(Path directory, Properties secrets) {
        this.directory = directory;
        this.secrets = secrets;
    }

    /**
     * The security material under {@code directory}, made where missing: the store password and every principal's
     * password, then the CA, the broker's key store and the trust store.
     */
    public static KafkaSecurity loadOrCreate(Path directory) {
        try {
            Files.createDirectories(directory);
            OwnerOnlyFiles.restrict(directory, "rwx------");
            List<String> keys = new ArrayList<>(List.of("store"));
            for (KafkaPrincipal principal : KafkaPrincipal.values()) {
                keys.add(principal.user());
            }
            Properties secrets = OwnerOnlyFiles.loadWithSecrets(directory.resolve("credentials.properties"), keys,
                    "Passwords of the embedded Kafka cluster: its key and trust stores, and each principal's SCRAM "
                            + "password");
            KafkaSecurity security = new KafkaSecurity(directory, secrets);
            security.makeCertificatesIfMissing();
            return security;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Kafka cluster's security material in " + directory, e);
        }
    }

    /** The trust store (PKCS12) holding the CA that signed the brokers' certificate. */
    public Path trustStore() {
        return directory.resolve("truststore.p12");
    }

    /** The CA certificate in PEM, for clients such as kcat ({@code ssl.ca.location}). */
    public Path caCertificate() {
        return directory.resolve("ca.pem");
    }

    Path brokerKeyStore() {
        return directory.resolve("broker.p12");
    }

    /** The password of the key and trust stores. */
    public String storePassword() {
        return secrets.getProperty("store");
    }

    /** The SCRAM password of {@code principal}. */
    public String passwordOf(KafkaPrincipal principal) {
        return secrets.getProperty(principal.user());
    }

    /** A Java client's security settings as {@code principal}: SASL_SSL, SCRAM-SHA-512, the trust store. */
    public Map<String, Object> clientSettings(KafkaPrincipal principal) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", MECHANISM);
        settings.put("sasl.jaas.config", jaas(principal));
        settings.put("ssl.truststore.location", trustStore().toString());
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.password", storePassword());
        return settings;
    }

    /**
     * Spring Boot's {@code spring.kafka.*} settings for clients signed in as {@code principal}: what an operator sets
     * for an external cluster, here for this one.
     */
    public Map<String, String> springKafkaProperties(KafkaPrincipal principal) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.kafka.security.protocol", "SASL_SSL");
        properties.put("spring.kafka.properties.sasl.mechanism", MECHANISM);
        properties.put("spring.kafka.properties.sasl.jaas.config", jaas(principal));
        properties.put("spring.kafka.ssl.trust-store-location", trustStore().toUri().toString());
        properties.put("spring.kafka.ssl.trust-store-type", "PKCS12");
        properties.put("spring.kafka.ssl.trust-store-password", storePassword());
        return properties;
    }

    /**
     * A librdkafka client's settings as {@code principal} (kcat, confluent-kafka, ...): the same security in its
     * property names, with the CA as a PEM file.
     */
    public Map<String, String> librdkafkaSettings(KafkaPrincipal principal) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanisms", MECHANISM);
        settings.put("sasl.username", principal.user());
        settings.put("sasl.password", passwordOf(principal));
        settings.put("ssl.ca.location", caCertificate().toString());
        return settings;
    }

    /** The JAAS line a client logs in with as {@code principal}. */
    public String jaas(KafkaPrincipal principal) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal.user()
                + "\" password=\"" + passwordOf(principal) + "\";";
    }

    /**
     * The broker settings: the client listener with SASL over TLS, the controller listener with mutual TLS, the
     * standard authorizer that denies what no ACL allows, and the broker principal as the only super user.
     *
     * @param clientListener     the client listener's name (also the brokers' own)
     * @param controllerListener the controller listener's name
     */
    Map<String, String> brokerSettings(String clientListener, String controllerListener) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("listener.security.protocol.map", clientListener + ":SASL_SSL," + controllerListener + ":SSL");
        config.put("sasl.enabled.mechanisms", MECHANISM);
        config.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        config.put("listener.name." + clientListener.toLowerCase() + "." + MECHANISM.toLowerCase()
                + ".sasl.jaas.config", jaas(KafkaPrincipal.BROKER));
        config.put("ssl.keystore.location", brokerKeyStore().toString());
        config.put("ssl.keystore.type", "PKCS12");
        config.put("ssl.keystore.password", storePassword());
        config.put("ssl.key.password", storePassword());
        config.put("ssl.truststore.location", trustStore().toString());
        config.put("ssl.truststore.type", "PKCS12");
        config.put("ssl.truststore.password", storePassword());
        config.put("listener.name." + controllerListener.toLowerCase() + ".ssl.client.auth", "required");
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        config.put("super.users", "User:" + KafkaPrincipal.BROKER.user() + ";User:" + BROKER_SUBJECT);
        return config;
    }

    /** The {@code --add-scram} arguments that give every principal its credential when the storage is formatted. */
    List<String> scramCredentials() {
        List<String> credentials = new ArrayList<>();
        for (KafkaPrincipal principal : KafkaPrincipal.values()) {
            credentials.add(MECHANISM + "=[name=" + principal.user() + ",password=" + passwordOf(principal) + "]");
        }
        return credentials;
    }

    private void makeCertificatesIfMissing() throws IOException {
        if (Files.exists(brokerKeyStore()) && Files.exists(trustStore()) && Files.exists(caCertificate())) {
            return;
        }
        Path ca = directory.resolve("ca.p12");
        Path request = directory.resolve("broker.csr");
        Path brokerCertificate = directory.resolve("broker.pem");
        for (Path file : List.of(ca, brokerKeyStore(), trustStore(), caCertificate(), request, brokerCertificate)) {
            Files.deleteIfExists(file);
        }
        String password = storePassword();
        keytool("-genkeypair", "-alias", CA_ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=orderflow embedded Kafka CA", "-ext", "bc:c", "-keystore", ca.toString(),
                "-storetype", "PKCS12", "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-storepass", password,
                "-file", caCertificate().toString());
        keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", caCertificate().toString(),
                "-keystore", trustStore().toString(), "-storetype", "PKCS12", "-storepass", password);
        keytool("-genkeypair", "-alias", BROKER_ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", BROKER_SUBJECT, "-keystore", brokerKeyStore().toString(), "-storetype", "PKCS12",
                "-storepass", password);
        keytool("-certreq", "-alias", BROKER_ALIAS, "-keystore", brokerKeyStore().toString(), "-storepass", password,
                "-file", request.toString());
        keytool("-gencert", "-rfc", "-alias", CA_ALIAS, "-keystore", ca.toString(), "-storepass", password,
                "-infile", request.toString(), "-outfile", brokerCertificate.toString(), "-validity", "3650",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost");
        keytool("-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", caCertificate().toString(),
                "-keystore", brokerKeyStore().toString(), "-storepass", password);
        keytool("-importcert", "-alias", BROKER_ALIAS, "-file", brokerCertificate.toString(),
                "-keystore", brokerKeyStore().toString(), "-storepass", password);
        for (Path file : List.of(ca, brokerKeyStore(), trustStore(), caCertificate())) {
            OwnerOnlyFiles.restrict(file, "rw-------");
        }
        Files.deleteIfExists(request);
        Files.deleteIfExists(brokerCertificate);
    }

    private static void keytool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + arguments[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
