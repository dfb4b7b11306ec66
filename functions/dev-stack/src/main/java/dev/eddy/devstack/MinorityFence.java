package dev.eddy.devstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.annotations.ManagedAttribute;
import org.jgroups.annotations.Property;
import org.jgroups.conf.AttributeType;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * A JGroups protocol that makes a node cut off from the majority of its view leave that view before
 * the majority can leave it out, so that it never serves as an owner while the others take writes
 * without it.
 *
 * <p>Why: Infinispan's partition handling (DENY_READ_WRITES) refuses reads and writes on a node only
 * once that node has itself installed a view without the others. Failure detection (FD_ALL3) runs on
 * every node with the same timeout, so which side notices first is a matter of timer phase and CPU: the
 * fault suite saw the two-node majority install its view and take writes while the cut-off node still
 * reported a healthy three-node cluster, and a strongly consistent read it answered from its own copy
 * was older than a write already acknowledged. This protocol gives the minority a shorter clock: a node
 * that has heard nothing (no message of any kind, heartbeats included) from enough members to make a
 * strict majority of its view for {@code lease} ms suspects the members it has not heard from. The
 * suspicion goes through VERIFY_SUSPECT2 like FD_ALL3's (a member that answers is kept), then GMS
 * installs a view without them and Infinispan puts the node's caches in degraded mode. With the lease
 * well below FD_ALL3's timeout (the dev stack: 1.5 s against 4 s, heartbeats every 0.5 s), the
 * minority leaves seconds before the majority's failure detection can remove it. It is a lease, with a
 * lease's assumption: the node's timer is not stalled for longer than that margin.
 *
 * <p>A member of the majority hears the others of the majority, so it never suspects on this rule. It
 * suspects every member it has not heard from at once: failure detection suspecting them one at a time
 * could have the node install a view with a member it cannot reach either, count itself in a majority
 * and serve (MergeReadExperiment once saw a cut-off node report a healthy cluster of two). A cluster
 * that has never had three members is left alone: a pair split leaves neither side a majority,
 * partition handling makes both refuse, neither takes a write the other misses, and a busy pair of
 * nodes is not put to the verification sooner than FD_ALL3 would. Placed low in the stack, above the
 * transport (and above DISCARD, which the fault suite cuts nodes off with), so that it sees every
 * message, heartbeats included, before any protocol consumes it.
 *
 * <p><b>Messages to members that left.</b> When a view leaves members out, UNICAST3 only marks its
 * connections to them closing and goes on resending what they have not acknowledged for its
 * {@code conn_close_timeout} (4 minutes). Infinispan has by then failed the requests behind those
 * messages (the member is suspected) and retried them in the new topology; a cut-off primary, for one,
 * has answered the writer with an error. If the network heals before the others have left this node out
 * (a short partition: the fence makes this node leave seconds before they do), the resent messages reach
 * members still running the old topology, which take a backup write from the primary they know and apply
 * it: a write its writer was told failed, and that a strongly consistent read after the error did not
 * show, appears later (the fault suite's scenario 6 saw it, CutOffWriteAtMergeExperiment shows it). So on
 * every view that leaves members out, this node drops its connections to them with what they hold; a
 * member that comes back gets a new connection, as after the timeout.
 */
public class MinorityFence extends Protocol {
    @Property(description = "How long a node may go without hearing from a majority of its view before it suspects "
            + "the members it has not heard from; keep it well below the failure detector's timeout",
            type = AttributeType.TIME)
    protected long lease = 1_500;

    @ManagedAttribute(description = "How many times this node found itself cut off from the majority and suspected the others")
    protected volatile int fences;

    @ManagedAttribute(description = "How many members that left a view this node dropped its connection to, with what it held unacknowledged")
    protected volatile int dropped;

    /** When each member was last heard from (System.nanoTime); a holder per member, so hearing allocates nothing. */
    private final Map<Address, Heard> lastHeard = new ConcurrentHashMap<>();

    private static final class Heard {
        volatile long at;

        Heard(long at) {
            this.at = at;
        }
    }
    private volatile View view;
    /** The most members a view of this node has had. */
    private volatile int largestView;
    /** When this node last raised a suspicion (System.nanoTime), 0 for none since the last view. */
    private volatile long suspectedAt;
    private Future<?> checker;

    /** How many times this node found itself cut off from the majority and suspected the others. */
    public int fences() {
        return fences;
    }

    @Override
    public void start() throws Exception {
        super.start();
        long period = Math.max(50, lease / 4);
        checker = getTransport().getTimer().scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS, false);
    }

    @Override
    public void stop() {
        if (checker != null) {
            checker.cancel(true);
        }
        super.stop();
    }

    @Override
    public Object down(Event evt) {
        if (evt.getType() == Event.VIEW_CHANGE) {
            viewed(evt.getArg());
        }
        return down_prot.down(evt);
    }

    @Override
    public Object up(Message msg) {
        heard(msg.getSrc());
        return up_prot.up(msg);
    }

    @Override
    public void up(MessageBatch batch) {
        heard(batch.sender());
        up_prot.up(batch);
    }

    private void heard(Address sender) {
        if (sender == null) {
            return;
        }
        Heard h = lastHeard.get(sender);
        if (h != null) {
            h.at = System.nanoTime();
        } else {
            lastHeard.put(sender, new Heard(System.nanoTime())); // a member not in the view yet (joining)
        }
    }

    /**
     * A new view: every member starts with a full lease, and the last view's suspicion is over. What this
     * node sent to a member that has left the view and that member never acknowledged is dropped (see the
     * class comment, "Messages to members that left").
     */
    private void viewed(View v) {
        View previous = view;
        if (previous != null) {
            List<Address> left = new ArrayList<>(previous.getMembers());
            left.removeAll(v.getMembers());
            if (!left.isEmpty()) {
                UNICAST3 unicast = getProtocolStack() == null ? null : getProtocolStack().findProtocol(UNICAST3.class);
                if (unicast != null) {
                    unicast.removeSendConnection(left::contains);
                    dropped += left.size();
                }
            }
        }
        long now = System.nanoTime();
        for (Address member : v.getMembers()) {
            lastHeard.put(member, new Heard(now));
        }
        lastHeard.keySet().retainAll(v.getMembers());
        suspectedAt = 0;
        largestView = Math.max(largestView, v.size());
        view = v;
    }

    private void check() {
        View v = view;
        Address self = getAddress();
        if (v == null || self == null || v.size() < 2 || largestView < 3) {
            return;
        }
        long now = System.nanoTime();
        long leaseNanos = TimeUnit.MILLISECONDS.toNanos(lease);
        List<Address> unheard = new ArrayList<>();
        for (Address member : v.getMembers()) {
            Heard at = lastHeard.get(member);
            if (!member.equals(self) && (at == null || now - at.at > leaseNanos)) {
                unheard.add(member);
            }
        }
        int inTouch = v.size() - unheard.size(); // this node included
        if (2 * inTouch > v.size()) {
            return; // a strict majority of the view is in touch
        }
        if (suspectedAt != 0 && now - suspectedAt < leaseNanos) {
            return; // raised within the lease: VERIFY_SUSPECT2 is checking them
        }
        // as FD_ALL3 does: only the first member left once the suspects are taken out raises it
        List<Address> eligible = new ArrayList<>(v.getMembers());
        eligible.removeAll(unheard);
        if (eligible.isEmpty() || !self.equals(eligible.get(0))) {
            return;
        }
        suspectedAt = now;
        fences++;
        log.warn("%s: heard from %d of the %d members of view %s in the last %d ms, not a majority: suspecting %s so "
                + "that this node leaves the view before the majority leaves it out", self, inTouch, v.size(), v.getViewId(),
                lease, unheard);
        up_prot.up(new Event(Event.SUSPECT, unheard));
    }
}
