package dev.eddy.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.WellFormedText;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;

/**
 * Requests refused before any route sees them, with a DynamoDB error instead of the 500 the layers
 * below would give: an HTTP/1.1 request without a Host header (Vert.x cannot route it), and, for
 * the Funqy routes, a body that is not well-formed UTF-8 (Funqy's parser decodes overlong forms
 * silently) or a CloudEvent that is not one (Funqy fails on a structured event without its
 * attributes and on a binary event whose body is not JSON). The wire protocol checks its own
 * bodies in the core ({@code Eddy.execute}).
 */
@ApplicationScoped
public class MalformedRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    void routes(@Observes Router router) {
        router.post().order(-150).handler(this::funqyBody);
    }

    /**
     * What a routing failure means for the client: Vert.x fails an HTTP/1.x request without a Host
     * header before any route runs, so it is recognised here, where failures become responses.
     */
    static Throwable explain(RoutingContext rc, Throwable failure) {
        if (rc.request().version() != HttpVersion.HTTP_2 && rc.request().getHeader("Host") == null) {
            return Errors.missingHost();
        }
        return failure;
    }

    private void funqyBody(RoutingContext rc) {
        if (rc.request().getHeader("X-Amz-Target") != null || rc.body() == null || !rc.body().available()
                || rc.body().buffer() == null || rc.body().buffer().length() == 0) {
            rc.next();
            return;
        }
        byte[] body = rc.body().buffer().getBytes();
        try {
            WellFormedText.checkBody(body);
            String contentType = rc.request().getHeader("Content-Type");
            if (contentType != null && contentType.startsWith("application/cloudevents+json")) {
                JsonNode event = JSON.readTree(body);
                if (event == null || !event.isObject() || !event.path("specversion").isTextual()
                        || !event.path("type").isTextual()) {
                    throw Errors.unparseable();
                }
            } else if (rc.request().getHeader("ce-type") != null || rc.request().getHeader("ce-id") != null) {
                JSON.readTree(body);
            }
        } catch (JsonProcessingException e) {
            rc.fail(Errors.unparseable());
            return;
        } catch (IOException | RuntimeException e) {
            rc.fail(e);
            return;
        }
        rc.next();
    }
}
