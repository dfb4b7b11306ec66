package dev.eddy.functions.differential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eddy.functions.DynamoTestBase;
import dev.eddy.functions.InfinispanCluster;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eddy and a reference DynamoDB get the same generated requests and must come to the same outcome:
 * the same error type and message, or the same result. A fixed seed and a bounded number of
 * requests in CI; {@code -Ddifferential.operations=N} and {@code -Ddifferential.seed=S} for more,
 * {@code -Ddifferential.endpoint=URL} for another reference (see {@link ReferenceEndpoint}).
 */
@QuarkusTest
@QuarkusTestResource(value = InfinispanCluster.class, restrictToAnnotatedClass = false)
class DifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL endpoint;

    @Test
    void eddyAndTheReferenceComeToTheSameOutcomes() throws Exception {
        long seed = Long.getLong("differential.seed", 20261205L);
        int operations = Integer.getInteger("differential.operations", 400);
        try (ReferenceEndpoint reference = ReferenceEndpoint.start();
             WireClient eddy = new WireClient(endpoint.toURI());
             WireClient other = new WireClient(reference.uri())) {
            RequestGenerator generator = new RequestGenerator(seed, "diff-" + UUID.randomUUID().toString().substring(0, 8));
            for (RequestGenerator.Case c : generator.setup()) {
                WireClient.Response ours = eddy.call(c.operation(), c.request());
                assertEquals(200, ours.status(), "Eddy: " + c + " " + ours.body());
                WireClient.Response theirs = other.call(c.operation(), c.request());
                assertEquals(200, theirs.status(), reference.name() + ": " + c + " " + theirs.body());
            }
            awaitActive(eddy, generator.tableA);
            awaitActive(other, generator.tableA);
            List<KnownDeviations.Deviation> known = reference.isMoto() ? KnownDeviations.MOTO : List.of();
            Map<String, Integer> explained = new TreeMap<>();
            Map<String, Integer> kinds = new TreeMap<>();
            List<String> unexplained = new ArrayList<>();
            for (int i = 0; i < operations; i++) {
                RequestGenerator.Case c = generator.next();
                kinds.merge(c.operation() + " (" + c.kind() + ")", 1, Integer::sum);
                boolean unordered = "Scan".equals(c.operation()) || "byG".equals(c.request().path("IndexName").asText());
                Outcome ours = Outcome.of(c.operation(), eddy.call(c.operation(), c.request()), unordered);
                Outcome theirs = Outcome.of(c.operation(), other.call(c.operation(), c.request()), unordered);
                if (!agree(ours, theirs) && c.request().has("IndexName")
                        && "byG".equals(c.request().get("IndexName").asText())) {
                    ours = awaitGlobalIndex(eddy, c, theirs);
                }
                if (!agree(ours, theirs)) {
                    KnownDeviations.Deviation d = KnownDeviations.explain(known, c, ours, theirs);
                    if (d != null) {
                        explained.merge(d.name(), 1, Integer::sum);
                    } else {
                        unexplained.add("#" + i + " " + c.operation() + " (" + c.kind() + ") " + c.request()
                                + "\n    Eddy:      " + ours + "\n    " + reference.name() + ": " + theirs);
                    }
                }
                // What a write left must be the same on both; then both go on from Eddy's state, so a
                // difference is reported once, at the request that made it.
                for (WrittenItem w : WrittenItem.of(c)) {
                    Outcome eddyItem = Outcome.of("GetItem", eddy.call("GetItem", w.get()));
                    Outcome theirItem = Outcome.of("GetItem", other.call("GetItem", w.get()));
                    if (agree(eddyItem, theirItem) || eddyItem.failed()) {
                        continue; // the same, or no key at all (an invalid request's)
                    }
                    RequestGenerator.Case state = new RequestGenerator.Case(c.operation(), c.request(),
                            c.kind() + ", the item after it");
                    KnownDeviations.Deviation d = KnownDeviations.explain(known, state, eddyItem, theirItem);
                    if (d != null) {
                        explained.merge(d.name(), 1, Integer::sum);
                    } else {
                        unexplained.add("#" + i + " " + c.operation() + " (" + state.kind() + ") " + c.request()
                                + "\n    Eddy:      " + eddyItem + "\n    " + reference.name() + ": " + theirItem);
                    }
                    other.call(eddyItem.result().has("Item") ? "PutItem" : "DeleteItem", w.copyOf(eddyItem.result()));
                }
            }
            System.out.println("differential: seed " + seed + ", " + operations + " requests against " + reference.name()
                    + "; by kind " + kinds + "; known deviations of the reference " + explained + "; unexplained "
                    + unexplained.size());
            java.nio.file.Path report = java.nio.file.Path.of("target", "differential-report.txt");
            java.nio.file.Files.writeString(report, "seed " + seed + ", " + operations + " requests against "
                    + reference.name() + "\nknown deviations of the reference: " + explained + "\n\n"
                    + String.join("\n", unexplained) + "\n");
            assertTrue(unexplained.isEmpty(), unexplained.size() + " unexplained differences, all in " + report
                    + "; the first:\n" + String.join("\n", unexplained.subList(0, Math.min(3, unexplained.size()))));
        }
    }

    private static boolean agree(Outcome a, Outcome b) {
        if (a.failed() || b.failed()) {
            return a.failed() && b.failed() && a.errorType().equals(b.errorType())
                    && java.util.Objects.equals(a.message(), b.message());
        }
        return a.result().equals(b.result());
    }

    /** A global index is kept asynchronously (as in DynamoDB): give Eddy's a moment to converge. */
    private static Outcome awaitGlobalIndex(WireClient eddy, RequestGenerator.Case c, Outcome theirs) throws Exception {
        Outcome ours = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            ours = Outcome.of(c.operation(), eddy.call(c.operation(), c.request()), true);
            if (agree(ours, theirs)) {
                break;
            }
            Thread.sleep(100);
        }
        return ours;
    }

    private static void awaitActive(WireClient client, String table) throws Exception {
        ObjectNode describe = JSON.createObjectNode().put("TableName", table);
        for (int attempt = 0; attempt < 100; attempt++) {
            if ("ACTIVE".equals(client.call("DescribeTable", describe).body().path("Table").path("TableStatus").asText())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(table + " did not become ACTIVE");
    }
}
