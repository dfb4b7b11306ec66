package dev.eddy.functions.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bin/fault-suite: every scenario of the fault suite in its full form (or the short one with
 * {@code short}; scenario numbers after it run only those), then the figures as a markdown table. Exits non-zero when a check found anything.
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
            // bin/fault-suite short 2 6: only those scenarios
            java.util.Set<String> only = new java.util.HashSet<>(List.of(args).subList(Math.min(1, args.length), args.length));
            List<java.util.concurrent.Callable<Figures>> all = List.of(s::killOneInfinispanNode,
                    s::killAllInfinispanNodesThenRollingRestart, s::kafkaBrokersDown, s::functionsKilledAndScaledToZero,
                    s::maintenanceKilled, s::infinispanPartition, s::overload);
            for (int i = 0; i < all.size(); i++) {
                if (only.isEmpty() || only.contains(Integer.toString(i + 1))) {
                    figures.add(all.get(i).call());
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
}
