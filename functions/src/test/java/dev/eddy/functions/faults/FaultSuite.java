package dev.eddy.functions.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bin/fault-suite: every scenario of the fault suite in its full form (or the short one with
 * {@code short}), then the figures as a markdown table. Exits non-zero when a check found anything.
 * A second argument picks scenarios by number ({@code 3,4,7}) to run only those.
 */
public final class FaultSuite {
    public static void main(String[] args) throws Exception {
        FaultScenarios.Form form = args.length > 0 && args[0].equals("short") ? FaultScenarios.Form.SHORT
                : FaultScenarios.Form.FULL;
        java.util.Set<Integer> only = args.length > 1
                ? java.util.Arrays.stream(args[1].split(",")).map(Integer::valueOf).collect(java.util.stream.Collectors.toSet())
                : java.util.Set.of(1, 2, 3, 4, 5, 6, 7);
        Path work = Files.createTempDirectory("eddy-fault-suite");
        System.out.println("fault suite (" + form.name() + "): processes' logs in " + work.resolve("logs"));
        List<Figures> figures = new ArrayList<>();
        boolean clean = true;
        try (FaultScenarios s = FaultScenarios.start(work, form)) {
            List<Scenario> all = List.of(s::killOneInfinispanNode, s::killAllInfinispanNodesThenRollingRestart,
                    s::kafkaBrokersDown, s::functionsKilledAndScaledToZero, s::maintenanceKilled,
                    s::infinispanPartition, s::overload);
            for (int n = 1; n <= all.size(); n++) {
                if (only.contains(n)) {
                    figures.add(all.get(n - 1).run());
                }
            }
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

    @FunctionalInterface
    private interface Scenario {
        Figures run() throws Exception;
    }
}
