package dev.eddy.functions.faults;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jgroups.annotations.Property;
import org.jgroups.protocols.DISCARD;

/**
 * The stack's {@code DISCARD} protocol, dropping every message to and from the other members for the
 * first {@code cut_off_millis} after the channel starts, then letting them pass: a node that starts
 * finds nobody and forms a cluster of its own, which merges with the others' once messages pass (what
 * a restarted node's discovery did in a CI run). Once per process: a cache manager the node makes
 * again afterwards (joining without its kept layouts) starts with messages passing. The control
 * endpoint's partition and heal work on it as on {@code DISCARD}.
 */
public class CutOffAtStart extends DISCARD {
    /** What the node prints once messages pass again. */
    static final String HEALED = "HEALED after starting cut off";
    private static final AtomicBoolean USED = new AtomicBoolean();

    @Property(description = "How long after the channel starts messages to and from other members are dropped")
    protected long cut_off_millis;

    /** The dev stack's JGroups configuration with its DISCARD protocol replaced by this one. */
    static String in(String stack, long millis) {
        String passing = "<DISCARD discard_all=\"false\"/>";
        if (!stack.contains(passing)) {
            throw new IllegalStateException("the JGroups stack has no DISCARD protocol to start cut off with");
        }
        return stack.replace(passing, "<" + CutOffAtStart.class.getName() + " cut_off_millis=\"" + millis + "\"/>");
    }

    @Override
    public void start() throws Exception {
        super.start();
        if (!USED.compareAndSet(false, true)) {
            return;
        }
        discardAll(true);
        Thread heal = new Thread(() -> {
            try {
                Thread.sleep(cut_off_millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            discardAll(false);
            System.out.println(HEALED + " (" + cut_off_millis + " ms after its channel started)");
        }, "cut-off-at-start");
        heal.setDaemon(true);
        heal.start();
    }
}
