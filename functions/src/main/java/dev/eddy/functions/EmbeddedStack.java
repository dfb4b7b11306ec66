package dev.eddy.functions;

import dev.eddy.core.HotRodSecurity;
import java.nio.file.Path;
import java.util.Map;

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

    /** How Eddy's own clients authenticate to the node's Hot Rod port (after {@link #startInfinispan}). */
    default HotRodSecurity hotRodSecurity() {
        return HotRodSecurity.NONE;
    }

    /** The Kafka client properties Eddy's own clients need on the broker (after {@link #startKafka}). */
    default Map<String, String> kafkaClientProperties() {
        return Map.of();
    }

    /** Where the stack keeps its data. */
    Path dataDir();

    /** The Infinispan node of this stack, for strongly consistent reads in process; null to read over Hot Rod. */
    default dev.eddy.core.storage.LocalNode localNode() {
        return null;
    }

    /** Where the credentials of Eddy's own clients are kept, for the startup line; null when there are none. */
    default Path credentialsFile() {
        return null;
    }

    /** Stops what was started, Kafka first, then Infinispan with its stores. */
    void stop();
}
