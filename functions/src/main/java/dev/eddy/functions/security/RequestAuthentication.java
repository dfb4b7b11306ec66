package dev.eddy.functions.security;

import dev.eddy.core.auth.Caller;
import dev.eddy.core.auth.CredentialsFile;
import dev.eddy.core.auth.SignatureVerifier;
import dev.eddy.core.auth.SignedRequest;
import dev.eddy.core.error.DynamoException;
import io.quarkus.runtime.Startup;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Verifies the SigV4 signature of every request before any route runs (the wire protocol on
 * {@code POST /}, the Funqy functions, CloudEvents) and leaves the verified {@link Caller} on the
 * request for {@link AccessCheck}. Quarkus's own paths under {@code /q/} (health, metrics) are not
 * DynamoDB requests and are left alone. At startup it enforces the mode: with authentication on it
 * refuses to start without credentials; with it off it says so, and where the endpoint listens.
 */
@Startup
@ApplicationScoped
public class RequestAuthentication {
    private static final Logger LOG = Logger.getLogger(RequestAuthentication.class);
    static final String CALLER = "eddy.caller";
    /** Where the Lambda API's operations live (dev.eddy.functions.LambdaRoute). */
    private static final String LAMBDA_PATHS = "/2015-03-31/";

    @ConfigProperty(name = AuthModes.ENABLED)
    Optional<String> enabledSetting;
    @ConfigProperty(name = AuthModes.CREDENTIALS_FILE)
    Optional<Path> credentialsFile;
    @ConfigProperty(name = AuthModes.ROLE, defaultValue = "function")
    String role;
    @ConfigProperty(name = "eddy.region", defaultValue = "us-east-1")
    String region;
    @ConfigProperty(name = "eddy.account-id", defaultValue = "000000000000")
    String accountId;
    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    private boolean enabled;
    private SignatureVerifier verifier;

    @PostConstruct
    void start() {
        enabled = AuthModes.enabled(enabledSetting.orElse(null), role);
        if (enabled) {
            if (credentialsFile.isEmpty()) {
                throw new IllegalStateException("Authentication is on (" + describeSetting() + ") but no credentials "
                        + "are configured: set " + AuthModes.CREDENTIALS_FILE + " to a JSON file of credentials, or "
                        + AuthModes.ENABLED + "=false to run without authentication");
            }
            CredentialsFile credentials = CredentialsFile.load(credentialsFile.get(), accountId);
            if (credentials.size() == 0) {
                throw new IllegalStateException("Authentication is on but " + credentialsFile.get()
                        + " lists no credentials");
            }
            verifier = new SignatureVerifier(credentials, region, Clock.systemUTC());
            LOG.infof("Eddy: authentication is ON: SigV4 signatures checked against %d credentials from %s "
                    + "(region %s); HTTP on %s", credentials.size(), credentialsFile.get(), region, host);
        } else {
            LOG.warnf("Eddy: authentication is OFF (%s): any request is accepted; HTTP on %s%s. Set %s=true and "
                            + "%s to turn it on", describeSetting(), host,
                    isLoopback(host) ? " (this machine only)" : ", REACHABLE FROM OTHER MACHINES",
                    AuthModes.ENABLED, AuthModes.CREDENTIALS_FILE);
        }
    }

    private String describeSetting() {
        return enabledSetting.isPresent() ? AuthModes.ENABLED + "=" + enabledSetting.get()
                : "the default for role " + role;
    }

    static boolean isLoopback(String host) {
        try {
            return host.equals("localhost") || InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }

    public boolean enabled() {
        return enabled;
    }

    void routes(@Observes Router router) {
        // Before the wire endpoint (-100) and Funqy; after Quarkus's body handler, which every route gets.
        router.route().order(-200).handler(this::authenticate);
    }

    private void authenticate(RoutingContext rc) {
        if (!enabled || rc.normalizedPath().startsWith("/q/")) {
            rc.next();
            return;
        }
        if (rc.body() != null && rc.body().available()) {
            verify(rc, rc.body().buffer());
        } else {
            rc.request().body().onSuccess(body -> verify(rc, body)).onFailure(rc::fail);
        }
    }

    /**
     * The caller a request's signature names (the wire front, which reads bodies itself); with
     * authentication off, the unauthenticated caller. Throws DynamoDB's error for a bad signature.
     */
    public Caller verify(HttpServerRequest request, Buffer body) {
        if (!enabled) {
            return Caller.UNAUTHENTICATED;
        }
        return verifier.verify(signedRequest(request, body));
    }

    private void verify(RoutingContext rc, Buffer body) {
        Caller caller;
        try {
            // the Lambda API's event source mappings are signed for "lambda", everything else for "dynamodb"
            caller = rc.normalizedPath().startsWith(LAMBDA_PATHS) ? verifier.verify(signedRequest(rc.request(), body),
                    "lambda") : verifier.verify(signedRequest(rc.request(), body));
        } catch (DynamoException e) {
            rc.fail(e);
            return;
        }
        rc.put(CALLER, caller);
        rc.next();
    }

    static SignedRequest signedRequest(HttpServerRequest request, Buffer body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                .add(h.getValue()));
        if (!headers.containsKey("host") && request.authority() != null) {
            headers.put("host", List.of(request.authority().toString())); // HTTP/2's :authority
        }
        return new SignedRequest(request.method().name(), request.path(), request.query(), headers,
                body == null ? null : body.getBytes(), request.isSSL());
    }
}
