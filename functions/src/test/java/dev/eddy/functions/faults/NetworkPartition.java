package dev.eddy.functions.faults;

import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.DISCARD;

/**
 * A network partition of one Infinispan node without touching the network: the JGroups
 * {@code DISCARD} protocol in the node's stack (the dev stack's, {@code EmbeddedInfinispan.jgroups})
 * drops every message to and from the other members while the node is cut off, so failure detection
 * suspects them on both sides and the cluster splits; once healed, the members find each other again
 * and merge. The way Infinispan's own partition-handling tests split a cluster.
 */
public final class NetworkPartition {
    private final DISCARD discard;

    private NetworkPartition(DISCARD discard) {
        this.discard = discard;
    }

    /** The switch of this node's stack. */
    public static NetworkPartition of(EmbeddedCacheManager node) {
        DISCARD discard = ((JGroupsTransport) GlobalComponentRegistry.componentOf(node, Transport.class))
                .getChannel().getProtocolStack().findProtocol(DISCARD.class);
        if (discard == null) {
            throw new IllegalStateException("the node's JGroups stack has no DISCARD protocol to cut it off with");
        }
        return new NetworkPartition(discard);
    }

    /** Drops every message to and from the other members from now on. */
    public void cutOff() {
        discard.discardAll(true);
    }

    /** Lets messages pass again. */
    public void heal() {
        discard.discardAll(false);
    }
}
