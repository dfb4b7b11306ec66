package dev.eddy.functions.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.auth.Authorizer;
import dev.eddy.core.auth.Caller;
import dev.eddy.core.storage.NonBlocking;
import dev.eddy.functions.EddyRuntime;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The authorization hook the transports call before running an operation: the wire endpoint with
 * the raw body and X-Amz-Target, the Funqy functions with the parsed request. A caller without a
 * policy (or any caller with authentication off) passes at once; a restricted one has its request
 * parsed and checked against its policy, failing with AccessDeniedException.
 */
@ApplicationScoped
public class AccessCheck {
    // DynamoDB's limits, as the operation reads the body: a longer name than Jackson's default must not skip the check.
    private static final ObjectMapper JSON = dev.eddy.core.json.JsonReading.mapper();
    private static final String DYNAMODB_PREFIX = "DynamoDB_20120810.";
    private static final String STREAMS_PREFIX = "DynamoDBStreams_20120810.";

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
     * On an event loop: checks the request if that needs nothing but this instance's memory (table
     * descriptions in the near cache). False when it would have to wait: check it with
     * {@link #admit(RoutingContext, String, byte[])} on a worker.
     */
    public boolean admittedWithoutWaiting(RoutingContext rc, String target, byte[] body) {
        if (!caller(rc).restricted()) {
            return true;
        }
        return NonBlocking.attempt(() -> {
            admit(rc, target, body);
            return Boolean.TRUE;
        }).value() != null;
    }

    /** The wire protocol: {@code target} is X-Amz-Target, {@code body} the JSON as sent. */
    public void admit(RoutingContext rc, String target, byte[] body) {
        Caller caller = caller(rc);
        if (!caller.restricted()) {
            return;
        }
        boolean streams = target.startsWith(STREAMS_PREFIX);
        if (!streams && !target.startsWith(DYNAMODB_PREFIX)) {
            return; // no operation: UnknownOperationException follows
        }
        JsonNode request;
        try {
            request = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException | java.io.CharConversionException e) {
            return; // not JSON: the operation answers SerializationException, doing nothing
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String operation = target.substring((streams ? STREAMS_PREFIX : DYNAMODB_PREFIX).length());
        authorizer().authorize(caller, streams, operation, request, rc.request().isSSL());
    }

    /** The Funqy path (POST /{operation}, CloudEvents): the request as Funqy parsed it. */
    public void admit(String operation, JsonNode request) {
        RoutingContext rc = currentRequest.getCurrent();
        Caller caller = caller(rc);
        if (caller.restricted()) {
            authorizer().authorize(caller, false, operation, request, rc != null && rc.request().isSSL());
        }
    }

    /** The Funqy path of the Streams API (POST /GetRecords, ...): checked on stream ARNs. */
    public void admitStreams(String operation, JsonNode request) {
        RoutingContext rc = currentRequest.getCurrent();
        Caller caller = caller(rc);
        if (caller.restricted()) {
            authorizer().authorize(caller, true, operation, request, rc != null && rc.request().isSSL());
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
