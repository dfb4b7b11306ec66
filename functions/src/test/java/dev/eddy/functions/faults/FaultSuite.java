package dev.eddy.functions.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bin/fault-suite: every scenario of the fault suite in its full form (or the short one with
 * {@code short}), then the figures as a markdown table. Exits non-zero when a check found anything.
 */
public final class FaultSuite {
    public static void main(String[] args) throws Exception {
        FaultScenarios.Form form = args.length > 0 && args[0].equals("short") ? FaultScenarios.Form.SHORT
                : FaultScenarios.Form.FULL;
        Path work = Files.createTempDirectory("eddy-fault-suite");
        System.out.println("fault suite (" + form.name() + "): processes' logs in " + work.resolve("logs"));
        List<Figures> figures = new ArrayList<>();
        boolean clean = true;
        try (FaultScenarios s = FaultScenarios.start(work, form)) {
            figures.add(s.killOneInfinispanNode());
            figures.add(s.killAllInfinispanNodesThenRollingRestart());
            figures.add(s.kafkaBrokersDown());
            figures.add(s.functionsKilledAndScaledToZero());
            figures.add(s.maintenanceKilled());
            figures.add(s.infinispanPartition());
            figures.add(s.overload());
        } finally {
            System.out.println();
            System.out.println(Figures.table(figures));
            for (Figures f : figures) {
                for (String problem : f.check().problems()) {
                    clean = false;
                    System.out.println(f.scenario() + ": " + problem);
                }
            }
        }
        System.exit(clean ? 0 : 1);
    }
}
