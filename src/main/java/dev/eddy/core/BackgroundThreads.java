package dev.eddy.core;

import java.util.concurrent.ThreadFactory;

/** Threads for background work (index maintenance, publishing, sweeps): named, and never keeping the JVM alive. */
public final class BackgroundThreads {
    private BackgroundThreads() {
    }

    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
