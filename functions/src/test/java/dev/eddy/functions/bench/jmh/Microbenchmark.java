package dev.eddy.functions.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every microbenchmark here inherits: time per operation in microseconds, one fork,
 * short iterations (a whole run takes a few minutes; pass JMH options to {@code bin/bench-jmh} for
 * more). The fork uses JBoss LogManager, as the application does, for Infinispan's logging.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Djava.util.logging.manager=org.jboss.logmanager.LogManager")
public abstract class Microbenchmark {
}
