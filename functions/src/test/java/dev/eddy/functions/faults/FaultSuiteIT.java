package dev.eddy.functions.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault suite's short form (issue 15): the deployment's shape as separate processes (3
 * Infinispan nodes, 3 Kafka nodes, 2 function instances, 1 maintenance instance), each fault once
 * under a small mixed load, each ending with the full check. {@code bin/fault-suite} runs the full
 * form and prints the figures for the README.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
    private static FaultScenarios scenarios;
    private static final List<Figures> figures = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        scenarios = FaultScenarios.start(Files.createTempDirectory("eddy-faults"), FaultScenarios.Form.SHORT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (scenarios != null) {
            scenarios.close();
        }
        System.out.println(Figures.table(figures));
    }

    private static Figures checked(Figures f) {
        figures.add(f);
        assertEquals(List.of(), f.check().problems(), f.scenario() + ": the full check");
        assertEquals(0, f.check().lost(), f.scenario() + ": nothing lost");
        assertEquals(0, f.check().duplicated(), f.scenario() + ": nothing duplicated");
        assertTrue(f.writesAcknowledged() > 0, f.scenario() + ": the load wrote");
        return f;
    }

    @Test
    @Order(1)
    void killOneInfinispanNode() throws Exception {
        checked(scenarios.killOneInfinispanNode());
    }

    @Test
    @Order(2)
    void killAllInfinispanNodesThenRollingRestart() throws Exception {
        checked(scenarios.killAllInfinispanNodesThenRollingRestart());
    }

    @Test
    @Order(3)
    void kafkaBrokersDown() throws Exception {
        checked(scenarios.kafkaBrokersDown());
    }

    @Test
    @Order(4)
    void functionsKilledAndScaledToZero() throws Exception {
        Figures f = checked(scenarios.functionsKilledAndScaledToZero());
        assertTrue(f.observed().contains("reached the trigger") && !f.observed().contains("NOT"), f.observed());
    }

    @Test
    @Order(5)
    void maintenanceKilled() throws Exception {
        Figures f = checked(scenarios.maintenanceKilled());
        assertTrue(FaultScenarios.DUTIES.stream().allMatch(f.observed()::contains), f.observed());
    }

    @Test
    @Order(6)
    // Its fourth fault (a write its client got an error for, not shown by a strong read, on the item after the
    // merge) was UNICAST3 resending, after a short cut healed, the cut-off primary's backup write to members still in
    // the old topology; MinorityFence drops a node's unacknowledged messages to members that left its view
    // (ShortPartitionTest). Its fifth (a write its client gave up on after 20 s, made after the load's settling
    // read: the function instance's Hot Rod client had stalled 25 s with the write's read in it) is bounded by the
    // request timeout, eddy.requests.timeout (RequestTimeoutTest).
    void infinispanPartition() throws Exception {
        checked(scenarios.infinispanPartition());
    }

    @Test
    @Order(7)
    void overload() throws Exception {
        Figures f = checked(scenarios.overload());
        assertTrue(f.recovery().startsWith("instance alive") && !f.recovery().contains("NEVER"), f.recovery());
        assertTrue(f.observed().contains("heap held"), f.observed());
        // the connection limit holds (quarkus.http.limits.max-connections, 4096): the idle connections the
        // floods still have open at the end are within it
        int stillOpen = java.util.regex.Pattern.compile("idle-still-open=(\\d+)").matcher(f.observed()).results()
                .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
        assertTrue(stillOpen <= 4096, stillOpen + " idle connections open: " + f.observed());
    }
}
