package dev.eddy.functions;

import java.nio.file.Path;

/**
 * The embedded dev stack, an Infinispan node and a Kafka broker in this process: a CDI bean the
 * local app ({@code functions/local}, what {@code bin/eddy} runs) supplies. The function artifact
 * has none, so there {@code eddy.infinispan.servers} is required.
 */
public interface EmbeddedStack {
    /** Starts the Infinispan node (Hot Rod on loopback); returns its address, {@code host:port}. */
    String startInfinispan() throws Exception;

    /** Starts the Kafka broker (on loopback); returns its bootstrap address. */
    String startKafka() throws Exception;

    /** Where the stack keeps its data. */
    Path dataDir();

    /** Stops what was started, Kafka first, then Infinispan with its stores. */
    void stop();
}
