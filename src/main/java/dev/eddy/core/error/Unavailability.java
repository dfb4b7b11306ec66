package dev.eddy.core.error;

import java.util.List;
import org.infinispan.client.hotrod.exceptions.HotRodClientException;
import org.infinispan.client.hotrod.exceptions.HotRodTimeoutException;
import org.infinispan.client.hotrod.exceptions.RemoteIllegalLifecycleStateException;
import org.infinispan.client.hotrod.exceptions.RemoteNodeSuspectException;
import org.infinispan.client.hotrod.exceptions.TransportException;

/**
 * Whether a failure says the store cannot serve now but may shortly, so that the request is answered
 * ServiceUnavailable (HTTP 503, which clients retry) rather than as a fault of Eddy's: its servers out
 * of reach or not answering in time, a node suspected or stopping, a cache refusing keys because of a
 * network partition, a cluster restarted and waiting for its members. As with any 5xx, the request
 * may or may not have applied (each store write is one compare-and-set, and what a request leaves half
 * done is finished or undone by the next writer or the maintenance role, as after a crash).
 */
public final class Unavailability {
    /**
     * What the servers send back, as the class names in the text of a server error (Hot Rod carries a
     * server's exception as its toString, causes included, so nested ones show too), and one message.
     */
    private static final List<String> SERVER_SIDE = List.of(
            // a cache in DEGRADED_MODE (partition handling DENY_READ_WRITES): ISPN000305, ISPN000306
            "org.infinispan.partitionhandling.AvailabilityException",
            // a cache recovering its layout after a restart while members are still missing (ISPN000689)
            "org.infinispan.topology.MissingMembersException",
            // a replication or lock that timed out (a member away, before it is suspected)
            "org.infinispan.util.concurrent.TimeoutException",
            "org.infinispan.commons.TimeoutException", // the class Infinispan 16 throws (ISPN000427, waiting for acks)
            // a member suspected, or a cache or node stopping, under the request
            "org.infinispan.remoting.transport.jgroups.SuspectException",
            "org.jgroups.SuspectedException",
            "org.infinispan.commons.IllegalLifecycleStateException",
            // a topology that changed under the request more often than Infinispan retries it
            "org.infinispan.statetransfer.OutdatedTopologyException",
            // a compare-and-set the node's cache answered with no result, as a cache stopping under it did in a
            // rolling restart: Infinispan 16.0.12's Hot Rod server then fails it with its own NullPointerException
            // (CacheRequestProcessor.replaceIfUnmodifiedAfterGet); whether it applied is not known
            "\"replaced\" is null");

    private Unavailability() {
    }

    /** The failure in {@code failure}'s causes that says the store cannot serve now, or null when none does. */
    public static Throwable reason(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof TransportException || c instanceof HotRodTimeoutException
                    || c instanceof RemoteNodeSuspectException || c instanceof RemoteIllegalLifecycleStateException) {
                return c;
            }
            if (c instanceof HotRodClientException h && h.isServerError() && h.getMessage() != null) {
                for (String name : SERVER_SIDE) {
                    if (h.getMessage().contains(name)) {
                        return c;
                    }
                }
            }
        }
        return null;
    }
}
