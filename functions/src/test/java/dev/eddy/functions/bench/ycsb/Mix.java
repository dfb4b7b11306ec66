package dev.eddy.functions.bench.ycsb;

import java.util.Map;
import java.util.Properties;

/**
 * The operation mixes run here: YCSB's core workloads A, B, C and E as its workload files define
 * them (zipfian key popularity, scans of 1 to 100 records), and an insert-only mix for serial
 * PutItem latency.
 */
enum Mix {
    A(Map.of("readproportion", "0.5", "updateproportion", "0.5")),
    B(Map.of("readproportion", "0.95", "updateproportion", "0.05")),
    C(Map.of("readproportion", "1")),
    E(Map.of("scanproportion", "0.95", "insertproportion", "0.05")),
    INSERT(Map.of("insertproportion", "1"));

    /** What every mix shares; CoreWorkload's own defaults would add reads and updates to each. */
    private static final Map<String, String> SHARED = Map.of("readproportion", "0", "updateproportion", "0",
            "scanproportion", "0", "insertproportion", "0", "readmodifywriteproportion", "0",
            "requestdistribution", "zipfian", "maxscanlength", "100", "scanlengthdistribution", "uniform");

    private final Map<String, String> proportions;

    Mix(Map<String, String> proportions) {
        this.proportions = proportions;
    }

    /** CoreWorkload properties: {@code base} (record count and size), then the mix's own. */
    Properties properties(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        p.putAll(SHARED);
        p.putAll(proportions);
        return p;
    }
}
