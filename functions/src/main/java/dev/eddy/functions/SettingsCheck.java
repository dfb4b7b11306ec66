package dev.eddy.functions;

import io.quarkus.runtime.configuration.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a value's type cannot make (ranges, a trust store that is not there, a user without a
 * password), all at start, all reported at once. Written out rather than as Bean Validation
 * annotations: a dozen comparisons do not justify Hibernate Validator's jars and start time in a
 * function that scales from zero.
 */
final class SettingsCheck {
    private final List<String> problems = new ArrayList<>();

    private SettingsCheck() {
    }

    /** Throws a ConfigurationException listing every problem, or returns when there is none. */
    static void verify(EddySettings s) {
        SettingsCheck c = new SettingsCheck();
        c.atLeast("eddy.near-cache.max-bytes", s.nearCache().maxBytes().asLongValue(), 0);
        c.atLeast("eddy.storage.page-bytes", s.storage().pageBytes(), 1024);
        c.atLeast("eddy.scan.mirror-max-bytes", s.scan().mirrorMaxBytes().asLongValue(), 0);
        c.atLeast("eddy.http.max-buffered-request-bytes", s.http().maxBufferedRequestBytes().asLongValue(), 1024 * 1024);
        c.atLeast("eddy.streams.partitions", s.streams().partitions(), 1);
        c.atLeast("eddy.streams.replication", s.streams().replication(), 1);
        s.streams().minInsyncReplicas().ifPresent(m -> {
            c.atLeast("eddy.streams.min-insync-replicas", m, 1);
            if (m > s.streams().replication()) {
                c.problems.add("eddy.streams.min-insync-replicas is " + m + ": more than eddy.streams.replication ("
                        + s.streams().replication() + "), so no record could be acknowledged");
            }
        });
        c.notNegative("eddy.statistics.max-age", s.statistics().maxAge());
        c.positive("eddy.near-cache.max-age", s.nearCache().maxAge());
        c.positive("eddy.streams.sweep-interval", s.streams().sweepInterval());
        c.notNegative("eddy.streams.retention-after-disable", s.streams().retentionAfterDisable());
        c.positive("eddy.leases.duration", s.leases().duration());
        c.positive("eddy.infinispan.stuck-client-after", s.infinispan().stuckClientAfter());
        c.positive("eddy.ttl.sweep-interval", s.ttl().sweepInterval());
        c.positive("eddy.transactions.timeout", s.transactions().timeout());
        s.infinispan().servers().filter(String::isBlank)
                .ifPresent(v -> c.problems.add("eddy.infinispan.servers is blank: host:port;host:port"));
        if (s.infinispan().username().isPresent() && s.infinispan().password().isEmpty()) {
            c.problems.add("eddy.infinispan.username is set without eddy.infinispan.password");
        }
        s.infinispan().tls().trustStore().filter(f -> !Files.isReadable(Path.of(f))).ifPresent(f ->
                c.problems.add("eddy.infinispan.tls.trust-store: no readable file " + f));
        c.notNegative("eddy.encryption.key-rotation", s.encryption().keyRotation());
        s.encryption().masterKeyFile().ifPresent(f -> {
            try {
                dev.eddy.core.encryption.MasterKeys.read(f);
            } catch (IllegalArgumentException e) {
                c.problems.add("eddy.encryption.master-key-file: " + e.getMessage());
            }
        });
        s.publicEndpoint().filter(e -> e.isBlank() || e.contains("/")).ifPresent(e ->
                c.problems.add("eddy.public-endpoint is '" + e + "': host:port, without a scheme or a path"));
        if (s.region().isBlank()) {
            c.problems.add("eddy.region is blank");
        }
        if (!c.problems.isEmpty()) {
            throw new ConfigurationException("Eddy's configuration cannot be used:\n  " + String.join("\n  ", c.problems));
        }
    }

    private void atLeast(String name, long value, long min) {
        if (value < min) {
            problems.add(name + " is " + value + ": it must be at least " + min);
        }
    }

    private void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(name + " is " + value + ": it must be longer than zero");
        }
    }

    private void notNegative(String name, Duration value) {
        if (value.isNegative()) {
            problems.add(name + " is " + value + ": it must not be negative");
        }
    }
}
