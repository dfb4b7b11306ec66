package dev.eddy.core.storage;

import dev.eddy.core.lease.Duty;

/** A duty's lease as the runner hands it, for tests that run a duty by hand: always held, its state kept in memory. */
final class HeldInMemory implements Duty.Held {
    private byte[] state = new byte[0];

    @Override
    public boolean stillHeld() {
        return true;
    }

    @Override
    public byte[] state() {
        return state;
    }

    @Override
    public boolean saveState(byte[] next) {
        state = next;
        return true;
    }

    @Override
    public long epoch() {
        return 1;
    }
}
