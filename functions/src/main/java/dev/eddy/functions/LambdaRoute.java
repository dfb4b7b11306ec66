package dev.eddy.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import dev.eddy.core.error.LambdaErrors;
import dev.eddy.functions.security.AccessCheck;
import dev.eddy.triggers.mappings.CreateEventSourceMapping;
import dev.eddy.triggers.mappings.DeleteEventSourceMapping;
import dev.eddy.triggers.mappings.EventSourceMapping;
import dev.eddy.triggers.mappings.EventSourceMappings;
import dev.eddy.triggers.mappings.FunctionDirectory;
import dev.eddy.triggers.mappings.GetEventSourceMapping;
import dev.eddy.triggers.mappings.ListEventSourceMappings;
import dev.eddy.triggers.mappings.MappingContext;
import dev.eddy.triggers.mappings.UpdateEventSourceMapping;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Lambda's event source mapping operations on Lambda's REST paths, so that
 * {@code aws lambda create-event-source-mapping --endpoint-url <eddy>} and the SDKs' Lambda clients
 * work unchanged (Lambda API Reference: CreateEventSourceMapping is {@code POST
 * /2015-03-31/event-source-mappings}, List is a GET there with query parameters, and Get, Update and
 * Delete are GET, PUT and DELETE on {@code /2015-03-31/event-source-mappings/<UUID>}). Served by
 * every instance that serves requests, like any other call; the maintenance role runs the mappings.
 * Requests are signed for the service {@code lambda} and authorized on {@code lambda:<Operation>}.
 * Errors take Lambda's shape: the type in {@code x-amzn-ErrorType}, {@code {"Type":"User","message":...}}.
 */
@ApplicationScoped
public class LambdaRoute {
    private static final Logger LOG = Logger.getLogger(LambdaRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ROOT = "/2015-03-31/";
    private static final String MAPPINGS = ROOT + "event-source-mappings";
    /** Errors whose message member Lambda's model names "Message" (the others say "message"). */
    private static final Set<String> CAPITAL_MESSAGE = Set.of("ResourceNotFoundException", "ResourceInUseException",
            "ServiceException", "UnknownOperationException");
    /** Authentication and authorization failures: Lambda answers them with 403. */
    private static final Set<String> FORBIDDEN = Set.of("AccessDeniedException", "InvalidSignatureException",
            "UnrecognizedClientException", "MissingAuthenticationTokenException", "ExpiredTokenException",
            "IncompleteSignatureException");

    @Inject
    EddyRuntime runtime;
    @Inject
    AccessCheck access;
    @Inject
    EddySettings settings;
    @Inject
    RequestBodyLimits bodyLimits;

    void routes(@Observes Router router) {
        // before the authentication's own route (-200): its failures on these paths are Lambda's to shape
        router.routeWithRegex(ROOT.replace(".", "\\.") + ".*").order(-250).failureHandler(this::failure);
        // read the body once, before the signature check (-200) and this route both need it: a second
        // read of the request would fail (RequestBodyLimits admitted it and bounds its size)
        router.routeWithRegex(ROOT.replace(".", "\\.") + ".*").order(-300)
                .handler(BodyHandler.create(false).setBodyLimit(bodyLimits.maxBodyBytes()));
        router.routeWithRegex(ROOT.replace(".", "\\.") + ".*").order(-150).handler(rc -> {
            if (!settings.role().servesRequests()) {
                send(rc, Errors.notServing());
            } else if (rc.body() != null && rc.body().available()) {
                handle(rc, rc.body().buffer());
            } else {
                rc.request().body().onSuccess(body -> handle(rc, body)).onFailure(rc::fail);
            }
        });
    }

    private void handle(RoutingContext rc, Buffer body) {
        rc.vertx().<Answer>executeBlocking(() -> answer(rc, body == null ? new byte[0] : body.getBytes()), false)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        respond(rc, ar.result().status(), ar.result().body());
                    } else {
                        failure(rc, ar.cause());
                    }
                });
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer answer(RoutingContext rc, byte[] body) {
        MappingContext c = runtime.mappings();
        String path = rc.normalizedPath();
        HttpMethod method = rc.request().method();
        String rest = path.equals(MAPPINGS) || path.equals(MAPPINGS + "/") ? "" : path.startsWith(MAPPINGS + "/")
                ? path.substring(MAPPINGS.length() + 1) : null;
        if (rest == null || rest.contains("/")) {
            throw LambdaErrors.unknownOperation(method.name(), path);
        }
        if (rest.isEmpty() && method == HttpMethod.POST) {
            JsonNode name = parse(body).path("FunctionName");
            admit(rc, "CreateEventSourceMapping", "*", name.isTextual() ? functionArn(c, name.asText()) : null);
            ObjectNode created = CreateEventSourceMapping.run(c, body);
            if (runtime.triggerDuties() != null) {
                runtime.triggerDuties().refresh(); // this process runs mappings too: start it at the next tick
            }
            return new Answer(202, created);
        }
        if (rest.isEmpty() && method == HttpMethod.GET) {
            String function = rc.request().getParam("FunctionName");
            admit(rc, "ListEventSourceMappings", "*", null);
            return new Answer(200, ListEventSourceMappings.run(c, rc.request().getParam("EventSourceArn"), function,
                    rc.request().getParam("Marker"), rc.request().getParam("MaxItems")));
        }
        if (rest.isEmpty()) {
            throw LambdaErrors.unknownOperation(method.name(), path);
        }
        String arn = EventSourceMapping.arn(c.region(), c.accountId(), rest);
        EventSourceMappings.Versioned existing = c.mappings().find(rest);
        String currentFunction = existing == null ? null : existing.mapping().functionArn();
        if (method == HttpMethod.GET) {
            admit(rc, "GetEventSourceMapping", arn, null);
            return new Answer(200, GetEventSourceMapping.run(c, rest));
        }
        if (method == HttpMethod.PUT) {
            admit(rc, "UpdateEventSourceMapping", arn, currentFunction);
            return new Answer(202, UpdateEventSourceMapping.run(c, rest, body));
        }
        if (method == HttpMethod.DELETE) {
            admit(rc, "DeleteEventSourceMapping", arn, currentFunction);
            return new Answer(202, DeleteEventSourceMapping.run(c, rest));
        }
        throw LambdaErrors.unknownOperation(method.name(), path);
    }

    /** The caller's policy must allow {@code lambda:<operation>} on the resource, with lambda:FunctionArn when known. */
    private void admit(RoutingContext rc, String operation, String resource, String functionArn) {
        access.admitLambda(rc, "lambda:" + operation, resource,
                functionArn == null ? Map.of() : Map.of("lambda:FunctionArn", List.of(functionArn)));
    }

    private static String functionArn(MappingContext c, String functionName) {
        if (FunctionDirectory.url(functionName) != null) {
            return functionName;
        }
        String name = FunctionDirectory.nameOf(functionName);
        return name == null ? functionName : "arn:aws:lambda:" + c.region() + ":" + c.accountId() + ":function:" + name;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode n = body.length == 0 ? null : JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (java.io.IOException e) {
            return JSON.createObjectNode(); // the operation reports it
        }
    }

    private void failure(RoutingContext rc) {
        failure(rc, rc.failure());
    }

    private void failure(RoutingContext rc, Throwable failure) {
        if (rc.response().headWritten()) {
            return;
        }
        DynamoException error = WireResponses.asDynamo(failure);
        if (error == null) {
            if (failure != null) {
                LOG.error("Lambda API request failed", failure);
            }
            respondError(rc, 500, "ServiceException", "Internal error");
            return;
        }
        send(rc, error);
    }

    private static void send(RoutingContext rc, DynamoException e) {
        int status = FORBIDDEN.contains(e.type()) ? 403 : e.status();
        respondError(rc, status, e.type(), e.getMessage());
    }

    private static void respondError(RoutingContext rc, int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Type", status >= 500 ? "Service" : "User");
        body.put(CAPITAL_MESSAGE.contains(type) ? "Message" : "message", message);
        rc.response().putHeader("x-amzn-ErrorType", type);
        respond(rc, status, body);
    }

    private static void respond(RoutingContext rc, int status, JsonNode body) {
        rc.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("x-amzn-RequestId", java.util.UUID.randomUUID().toString())
                .end(body.toString());
    }
}
