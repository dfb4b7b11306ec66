package dev.eddy.functions;

import dev.eddy.core.error.DynamoException;
import dev.eddy.core.error.Errors;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The web router's side of the endpoint (DynamoDB's own requests are served ahead of it, by
 * {@link WireFront}): CloudEvents on {@code POST /} are checked before Funqy takes them, a Funqy
 * {@code POST /<Operation>} whose body is not JSON gets the wire protocol's error, a {@code POST /}
 * that names no operation gets UnknownOperationException, the maintenance role refuses every POST,
 * and failures of these routes become DynamoDB error responses.
 */
@ApplicationScoped
public class WireEndpoint {
    private static final Logger LOG = Logger.getLogger(WireEndpoint.class);

    @Inject
    RequestBodyLimits bodyLimits;

    void routes(@Observes Router router, EddySettings settings) {
        if (!settings.role().servesRequests()) {
            // The maintenance role: every POST (Funqy, CloudEvents) is refused; GETs (health, metrics) go on.
            router.post().order(-101).handler(rc -> sendError(rc, rc.request().getHeader("Content-Type"),
                    Errors.notServing()));
        }
        // CloudEvents get their body read here, so it can be checked before Funqy takes it
        BodyHandler cloudEventBodies = BodyHandler.create(false).setBodyLimit(bodyLimits.maxBodyBytes());
        router.post("/").order(-101).handler(rc -> {
            if (CloudEventCheck.isCloudEvent(rc.request().getHeader("ce-type"), rc.request().getHeader("Content-Type"))) {
                cloudEventBodies.handle(rc);
            } else {
                rc.next();
            }
        });
        router.post("/").order(-100).handler(this::cloudEvent);
        // POST /<Operation> (Funqy): a body that is not JSON gets the wire protocol's error, not Funqy's bare 406
        router.postWithRegex("/[A-Za-z]+").order(-100).handler(rc -> {
            if (CloudEventCheck.isJson(rc.request().getHeader("Content-Type"))) {
                rc.next();
            } else {
                sendError(rc, "application/json", Errors.unparseable());
            }
        });
        router.route().order(-100).failureHandler(this::failure);
    }

    private void cloudEvent(RoutingContext rc) {
        String ceType = rc.request().getHeader("ce-type");
        String contentType = rc.request().getHeader("Content-Type");
        if (!CloudEventCheck.isCloudEvent(ceType, contentType)) {
            sendError(rc, contentType, Errors.unknownOperation()); // no X-Amz-Target and no event type
            return;
        }
        Buffer body = rc.body() == null ? null : rc.body().buffer();
        DynamoException problem = CloudEventCheck.problem(ceType, contentType, body);
        if (problem != null) {
            sendError(rc, "application/json", problem);
        } else {
            rc.next();
        }
    }

    private void failure(RoutingContext rc) {
        if (rc.response().headWritten()) {
            return;
        }
        if (rc.response().closed() || closedConnection(rc.failure())) {
            // The client went away mid-request: nobody to answer, and nothing wrong with Eddy.
            LOG.debugf("Request ended before its body did: %s", String.valueOf(rc.failure()));
            return;
        }
        Throwable failure = MalformedRequests.explain(rc, rc.failure());
        if (failure == null && rc.statusCode() == 400) {
            // Funqy answers a body it cannot parse with a bare 400.
            failure = Errors.unparseable();
        }
        if (failure == null) {
            rc.next();
            return;
        }
        sendError(rc, "application/json", failure);
    }

    private static boolean closedConnection(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof io.vertx.core.http.HttpClosedException
                    || c instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private void sendError(RoutingContext rc, String contentType, Throwable failure) {
        DynamoException error = WireResponses.answerFor(failure);
        WireResponses.log(error, failure);
        WireResponses.send(rc.response(), error.status(), contentType, Buffer.buffer(WireResponses.errorBody(error)));
    }
}
