package dev.eddy.functions.faults;

import java.util.List;
import java.util.Map;

/**
 * What one scenario measured: writes acknowledged (and strongly consistent reads answered) under
 * the load, what was lost or duplicated (the full check), how long recovery took, what clients saw
 * during the fault, and what the scenario itself observed.
 */
record Figures(String scenario, long writesAcknowledged, long readsAnswered, FullCheck.Result check, String recovery,
               Map<String, Long> faultErrors, String observed) {

    static String table(List<Figures> all) {
        StringBuilder b = new StringBuilder();
        b.append("| scenario | writes acknowledged (reads) | lost: writes / stream records / trigger | duplicated: "
                + "stream / trigger | time to recover | client errors during the fault | observed |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Figures f : all) {
            FullCheck.Result c = f.check();
            b.append("| ").append(f.scenario())
                    .append(" | ").append(f.writesAcknowledged()).append(" (").append(f.readsAnswered()).append(')')
                    .append(" | ").append(c.lostWrites()).append(" / ").append(c.missingRecords()).append(" / ")
                    .append(c.triggerMissing())
                    .append(" | ").append(c.duplicateRecords()).append(" / ").append(c.triggerDuplicates())
                    .append(c.triggerRedelivered() > 0 ? " (" + c.triggerRedelivered() + " again, marked)" : "")
                    .append(" | ").append(f.recovery())
                    .append(" | ").append(ClientErrors.format(f.faultErrors()))
                    .append(" | ").append(f.observed()).append(" |\n");
        }
        return b.toString();
    }
}
