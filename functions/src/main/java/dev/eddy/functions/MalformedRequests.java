package dev.eddy.functions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.error.Errors;
import dev.eddy.core.json.JsonReading;
import dev.eddy.core.json.WellFormedText;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * Requests refused before any route sees them, with a DynamoDB error instead of the 500 the layers
 * below would give: an HTTP/1.1 request without a Host header (Vert.x cannot route it), and, for
 * the Funqy routes, a body that is not well-formed UTF-8 (Funqy's parser decodes overlong forms
 * silently), a CloudEvent that is not one (Funqy fails on a structured event without its
 * attributes and on a binary event whose body is not JSON), and a function call whose body is
 * missing or not JSON (Funqy answers those with a 500, or logs each with its stack trace). Such a
 * refusal is one DEBUG line. The wire protocol checks its own bodies in the core ({@code Eddy.execute}).
 */
@ApplicationScoped
public class MalformedRequests {
    private static final Logger LOG = Logger.getLogger(MalformedRequests.class);
    // DynamoDB's limits (attribute names up to 65 535 bytes), as on the wire path and in Funqy's mapper.
    private static final ObjectMapper JSON = JsonReading.mapper();

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
        if (rc.request().getHeader("X-Amz-Target") != null || rc.body() == null || !rc.body().available()) {
            rc.next();
            return;
        }
        boolean cloudEvent = rc.request().getHeader("ce-type") != null || rc.request().getHeader("ce-id") != null;
        boolean functionCall = !"/".equals(rc.normalizedPath()) && !cloudEvent;
        if (rc.body().buffer() == null || rc.body().buffer().length() == 0) {
            if (functionCall) {
                refuse(rc, "no body");
                return;
            }
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
            } else if (cloudEvent) {
                JSON.readTree(body);
            } else if (functionCall && !isJson(body)) {
                refuse(rc, "nothing but white space");
                return;
            }
        } catch (JsonProcessingException e) {
            refuse(rc, e.getOriginalMessage());
            return;
        } catch (IOException | RuntimeException e) {
            rc.fail(e);
            return;
        }
        rc.next();
    }

    /**
     * Whether the body holds the JSON value Funqy will read (false when there is none), checked for
     * syntax only: a token walk, no tree. Syntax errors are thrown.
     */
    private static boolean isJson(byte[] body) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return true;
        }
    }

    private static void refuse(RoutingContext rc, String why) {
        LOG.debugf("Eddy: refused %s %s: the body is not JSON (%s)", rc.request().method(), rc.normalizedPath(), why);
        rc.fail(Errors.unparseable());
    }
}
