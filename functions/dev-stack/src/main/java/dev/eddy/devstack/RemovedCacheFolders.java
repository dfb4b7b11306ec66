package dev.eddy.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.infinispan.manager.EmbeddedCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.CacheStopped;
import org.infinispan.notifications.cachemanagerlistener.event.CacheStoppedEvent;

/**
 * Deletes the file-store folder of a cache removed over Hot Rod (a deleted table's): measured on
 * Infinispan 16.0.12, removing a cache stops it and forgets its configuration but leaves its
 * soft-index store's folder on every node. A folder is deleted only once the node has neither a
 * running cache nor a configuration of that name, checked a moment after the cache stopped (the
 * configuration goes after the stop) and at start for removals the node slept through.
 */
@Listener
final class RemovedCacheFolders implements AutoCloseable {
    /** Only Eddy's table caches: the engine's own caches and Infinispan's internal state are never touched. */
    private static final String TABLE_CACHES = "eddy.t.";

    private final EmbeddedCacheManager manager;
    private final Path stateDir;
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eddy-embedded-folder-sweep");
        t.setDaemon(true);
        return t;
    });

    RemovedCacheFolders(EmbeddedCacheManager manager, Path stateDir) {
        this.manager = manager;
        this.stateDir = stateDir;
        manager.addListener(this);
    }

    @CacheStopped
    public void stopped(CacheStoppedEvent e) {
        if (e.getCacheName().startsWith(TABLE_CACHES)) {
            later.schedule(() -> deleteIfRemoved(e.getCacheName()), 1, TimeUnit.SECONDS);
        }
    }

    /** Deletes the folders of table caches the node no longer has. */
    void sweep() {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(stateDir)) {
            entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(TABLE_CACHES))
                    .forEach(this::deleteIfRemoved);
        } catch (IOException e) {
            System.getLogger(RemovedCacheFolders.class.getName()).log(System.Logger.Level.WARNING,
                    "Listing " + stateDir + " for removed caches failed: " + e);
        }
    }

    private void deleteIfRemoved(String cacheName) {
        if (!manager.getStatus().allowInvocations() || manager.cacheExists(cacheName)
                || manager.getCacheConfiguration(cacheName) != null) {
            return;
        }
        KeptTopology.forget(stateDir, cacheName);
        Path folder = stateDir.resolve(cacheName);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(folder)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(RemovedCacheFolders.class.getName()).log(System.Logger.Level.WARNING,
                    "Deleting the folder of removed cache " + cacheName + " failed: " + e + "; retried at the next start");
        }
    }

    @Override
    public void close() {
        later.shutdownNow();
        manager.removeListener(this);
    }
}
