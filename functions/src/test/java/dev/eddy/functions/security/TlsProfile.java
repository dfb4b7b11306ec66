package dev.eddy.functions.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The application serving HTTPS with a certificate the test makes itself (the JDK's keytool, a
 * self-signed key for localhost in a PKCS12 store), configured the Quarkus way (the TLS registry's
 * default key store), with authentication on.
 */
public class TlsProfile implements QuarkusTestProfile {
    static final String PASSWORD = "eddy-test-store";
    private static Path keyStore;

    /**
     * The store, made once per JVM: the profile and the test run in different class loaders, each
     * with its own statics, so the path is kept in a system property they share.
     */
    static synchronized Path keyStore() {
        String made = System.getProperty("eddytest.tls-key-store");
        if (made != null) {
            return Path.of(made);
        }
        if (keyStore == null) {
            try {
                Path dir = Files.createTempDirectory("eddy-tls");
                Path store = dir.resolve("server.p12");
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "eddy", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                        "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
                keyStore = store;
                System.setProperty("eddytest.tls-key-store", store.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return keyStore;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.tls.key-store.p12.path", keyStore().toString(),
                "quarkus.tls.key-store.p12.password", PASSWORD,
                "quarkus.http.test-ssl-port", "0",
                "eddy.auth.enabled", "true",
                "eddy.auth.credentials-file", AuthenticatedProfile.credentialsFile().toString());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of();
    }
}
