package dev.eddy.core.lease;

/**
 * A piece of background work that one live process holds at a time, through the lease named
 * {@link #name()}. The runner calls {@link #run} every {@link #intervalMillis()} while it holds the
 * lease (sooner when the last run said more is waiting); a run does bounded work and checks
 * {@link Held#stillHeld()} between units, so a lost lease stops it within one unit.
 */
public interface Duty {
    /** The lease name; also the duty's name in logs and metrics. */
    String name();

    long intervalMillis();

    /** One bounded step; true when more work is waiting (run again at once). */
    boolean run(Held held) throws Exception;

    /** Called once the duty's lease is lost or released, or the duty is no longer wanted. */
    default void stopped() {
    }

    /** What a running duty can do with its lease. */
    interface Held {
        /** Whether the lease may still be acted under (by this process's clock, with the margin). */
        boolean stillHeld();

        /** The duty's stored state (its cursor), empty when none was saved. */
        byte[] state();

        /** Stores a new state with the lease, fenced by its version; false when the lease was lost. */
        boolean saveState(byte[] state);

        /** The lease's epoch: grows each time it changes hands. */
        long epoch();
    }
}
