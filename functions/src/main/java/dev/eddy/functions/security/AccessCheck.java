package dev.eddy.functions.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.auth.Authorizer;
import dev.eddy.core.auth.Caller;
import dev.eddy.core.operation.Operations;
import dev.eddy.functions.EddyRuntime;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The authorization hook the transports call before running an operation: the wire front with the
 * raw body and the registered operation, the Funqy functions with the parsed request. A caller without a
 * policy (or any caller with authentication off) passes at once; a restricted one has its request
 * parsed and checked against its policy, failing with AccessDeniedException.
 */
@ApplicationScoped
public class AccessCheck {
    // DynamoDB's limits, as the operation reads the body: a longer name than Jackson's default must not skip the check.
    private static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.shared();

    @Inject
    EddyRuntime runtime;
    @Inject
    CurrentVertxRequest currentRequest;
    @ConfigProperty(name = "eddy.region", defaultValue = "us-east-1")
    String region;
    @ConfigProperty(name = "eddy.account-id", defaultValue = "000000000000")
    String accountId;

    private volatile Authorizer authorizer;

    public static Caller caller(RoutingContext rc) {
        Caller c = rc == null ? null : rc.get(RequestAuthentication.CALLER);
        return c != null ? c : Caller.UNAUTHENTICATED;
    }

    /**
     * The wire protocol: the caller's policy against the request as sent. A caller without one passes
     * at once; a body that is not JSON passes too, and the operation answers it with its error.
     */
    public void admit(Caller caller, Operations.Registered operation, byte[] body, boolean secure) {
        if (!caller.restricted()) {
            return;
        }
        JsonNode request;
        try {
            request = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException | java.io.CharConversionException e) {
            return; // not JSON: the operation answers SerializationException, doing nothing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        authorizer().authorize(caller, operation.name(), operation.access(), request, secure);
    }

    /** The Funqy path (POST /{operation}, CloudEvents): the request as Funqy parsed it. */
    public void admit(String operation, JsonNode request) {
        RoutingContext rc = currentRequest.getCurrent();
        Caller caller = caller(rc);
        if (caller.restricted()) {
            Operations.Registered op = runtime.eddy().operations().find(operation);
            authorizer().authorize(caller, operation, op.access(), request, rc != null && rc.request().isSSL());
        }
    }

    /** The Funqy path of the Streams API (POST /GetRecords, ...): checked on stream ARNs. */
    public void admitStreams(String operation, JsonNode request) {
        RoutingContext rc = currentRequest.getCurrent();
        Caller caller = caller(rc);
        if (caller.restricted()) {
            Operations.Registered op = runtime.eddy().operations().findStreams(operation);
            authorizer().authorize(caller, operation, op.access(), request, rc != null && rc.request().isSSL());
        }
    }

    /**
     * A Lambda API call (event source mappings): {@code action} such as {@code lambda:GetEventSourceMapping}
     * on {@code resource} (a mapping's ARN, or {@code *}), with its condition keys ({@code lambda:FunctionArn}).
     */
    public void admitLambda(RoutingContext rc, String action, String resource, java.util.Map<String,
            java.util.List<String>> conditionKeys) {
        Caller caller = caller(rc);
        if (caller.restricted()) {
            java.util.Map<String, java.util.List<String>> context = new java.util.HashMap<>(conditionKeys);
            context.put("aws:SecureTransport", java.util.List.of(String.valueOf(rc.request().isSSL())));
            authorizer().authorize(caller, java.util.List.of(
                    new dev.eddy.core.auth.policy.AccessRequest(action, resource, context)));
        }
    }

    private Authorizer authorizer() {
        Authorizer a = authorizer;
        if (a == null) {
            a = new Authorizer(region, accountId, name -> runtime.eddy().catalog().find(name));
            authorizer = a;
        }
        return a;
    }
}
