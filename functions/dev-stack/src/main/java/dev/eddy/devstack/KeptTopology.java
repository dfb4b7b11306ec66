package dev.eddy.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.infinispan.Cache;
import org.infinispan.commons.CacheException;
import org.infinispan.commons.util.Version;
import org.infinispan.distribution.DistributionManager;
import org.infinispan.distribution.ch.impl.DefaultConsistentHash;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.globalstate.GlobalStateManager;
import org.infinispan.globalstate.ScopedPersistentState;
import org.infinispan.globalstate.impl.GlobalStateManagerImpl;
import org.infinispan.globalstate.impl.ScopedPersistentStateImpl;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.TopologyChanged;
import org.infinispan.notifications.cachelistener.event.TopologyChangedEvent;
import org.infinispan.notifications.cachemanagerlistener.annotation.CacheStarted;
import org.infinispan.notifications.cachemanagerlistener.event.CacheStartedEvent;
import org.infinispan.remoting.transport.Address;
import org.infinispan.registry.InternalCacheRegistry;
import org.infinispan.topology.CacheJoinException;
import org.infinispan.topology.CacheTopology;
import org.infinispan.topology.PersistentUUIDManager;

/**
 * Keeps each persistent cache's segment ownership on disk, so that a cluster whose nodes were all
 * killed comes back with every acknowledged write.
 *
 * <p>Infinispan (16.0) writes a cache's consistent hash to global state only when the whole cluster
 * is shut down gracefully. After every node was killed, each starts with no record of who owned
 * which segment: the cluster forms a new layout, a segment's new owners may be nodes whose stores
 * never held it, and the nodes whose stores hold it delete it as no longer theirs once the rebalance
 * ends (measured: 96 of 2 000 acknowledged keys gone after one kill of 3 nodes, owners = 2).
 *
 * <p>This writes the layout (the same properties Infinispan's graceful shutdown writes) to a file of
 * its own whenever a cache's topology settles, and at the next start hands it to Infinispan as that
 * shutdown state. When the whole cluster restarts, Infinispan then waits until every previous member
 * has joined and restores their layout, as after a graceful shutdown; no cache (and so no Hot Rod
 * client) is served before. A node that restarts alone presents a layout the running members do not
 * have (or an older one); Infinispan refuses it, and the node starts again without it and joins as
 * a new member. If the kept layouts differ between nodes (all killed in the middle of a rebalance),
 * the restarted cluster waits instead of serving, for an operator to decide.
 *
 * <p>That refusal needs the restarted node to be in the running members' view when its caches start.
 * A node whose discovery found nobody forms a cluster of its own and would recover its caches there
 * from its layouts, which name every member; when the two clusters merge, Infinispan can prefer that
 * layout to the running members' and take the restarted node's old store for the data (fault scenario
 * 1 lost 384 acknowledged writes so in a CI run). A node with more than one member must therefore
 * start its caches only once a majority is in its view (the fault suite's nodes set the transport's
 * initial cluster size so). Even then, a restarted node can become the merged cluster's coordinator,
 * and a coordinator holding layouts recovers the caches from them instead of refusing them (a CI run
 * lost 733 writes so): a node whose caller can tell that other members serve the caches does not
 * hand its layouts over at all ({@link #start(Supplier, Path, java.util.function.BooleanSupplier)}).
 */
public final class KeptTopology {
    private static final String PREFIX = "eddy-layout.";
    private static final System.Logger LOG = System.getLogger(KeptTopology.class.getName());

    private final DefaultCacheManager manager;
    private final Path stateDir;
    private final GlobalStateManager globalState;
    private final Map<String, Integer> written = new ConcurrentHashMap<>();

    private KeptTopology(DefaultCacheManager manager, Path stateDir) {
        this.manager = manager;
        this.stateDir = stateDir;
        this.globalState = GlobalComponentRegistry.componentOf(manager, GlobalStateManager.class);
    }

    /**
     * Starts a cache manager (made, with its configurations defined, by {@code unstarted}) and every
     * cache it has, handing the kept layouts to Infinispan first. A node that restarts alone presents
     * a layout the running members do not have, and Infinispan refuses its caches: it then starts
     * again without them and joins as a new member. Keeps every persistent cache's layout from then on.
     */
    public static KeptTopology start(Supplier<DefaultCacheManager> unstarted, Path stateDir) {
        return start(unstarted, stateDir, () -> false);
    }

    /**
     * {@link #start(Supplier, Path)}, handing the kept layouts over only when {@code othersServe} says
     * no other member serves the caches: a cluster that serves is running, so this node joins it as a
     * new member; otherwise (every member starting, as after a kill of them all) the layouts are
     * handed over and the cluster waits for every previous member.
     */
    public static KeptTopology start(Supplier<DefaultCacheManager> unstarted, Path stateDir,
                                     java.util.function.BooleanSupplier othersServe) {
        List<Path> handedOver;
        if (othersServe.getAsBoolean()) {
            LOG.log(System.Logger.Level.INFO, "Other members serve the caches: joining as a new member, the kept layouts not handed over");
            withdraw(stateDir);
            dropStores(stateDir);
            handedOver = List.of();
        } else {
            handedOver = handOver(stateDir);
        }
        DefaultCacheManager manager = startAll(unstarted.get());
        if (manager == null) {
            for (Path p : handedOver) {
                delete(p);
            }
            dropStores(stateDir);
            manager = startAll(unstarted.get());
            if (manager == null) {
                throw new IllegalStateException("caches failed to start; see the log");
            }
        }
        KeptTopology kept = new KeptTopology(manager, stateDir);
        kept.globalState.writeGlobalState(); // this node's persistent identity, which the layouts name
        manager.addListener(kept.new Created());
        for (String name : manager.getCacheNames()) {
            kept.keep(manager.getCache(name));
        }
        return kept;
    }

    public DefaultCacheManager manager() {
        return manager;
    }

    /** Copies each kept layout to where Infinispan reads the shutdown state of a cache; returns those copies. */
    private static List<Path> handOver(Path stateDir) {
        List<Path> copies = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return copies;
        }
        try (var files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(".state") && !name.endsWith(".next.state")) {
                    Path copy = stateDir.resolve(name.substring(PREFIX.length()));
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                    copies.add(copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copies;
    }

    /** Deletes the copies of kept layouts a previous start handed over and Infinispan did not consume. */
    private static void withdraw(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (var files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(".state") && !name.endsWith(".next.state")) {
                    delete(stateDir.resolve(name.substring(PREFIX.length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Empties the stores of this node's kept caches before it joins a running cluster as a new member.
     * What a store holds from before is stale: the running members took writes and removals meanwhile,
     * and the state they send the new member overwrites the keys they hold but not the ones they
     * removed, which would come back from this store (RejoinedNodeStoreTest: 13 of 100 keys removed
     * while one node of three was stopped were served again after it rejoined; Infinispan documents it
     * for private stores). Only when members run the caches, so every segment has its copies there (a
     * whole-cluster restart hands the layouts over and keeps the stores).
     */
    private static void dropStores(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return;
        }
        try (var files = Files.list(stateDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(".state") && !name.endsWith(".next.state")) {
                    Path store = stateDir.resolve(name.substring(PREFIX.length(), name.length() - ".state".length()));
                    if (Files.isDirectory(store)) {
                        LOG.log(System.Logger.Level.INFO, "Joining running members as a new member: emptying the store {0}", store);
                        deleteTree(store);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes the kept layout of a removed cache (and the shutdown state it was handed over as). */
    static void forget(Path stateDir, String cacheName) {
        delete(stateDir.resolve(PREFIX + cacheName + ".state"));
        delete(stateDir.resolve(cacheName + ".state"));
    }

    /** The started manager with every cache running, or null (stopped) when the members refused a kept layout. */
    private static DefaultCacheManager startAll(DefaultCacheManager manager) {
        manager.start();
        try {
            for (String name : manager.getCacheNames()) {
                manager.getCache(name); // caches created before a restart come back from global state
            }
            return manager;
        } catch (CacheException e) {
            manager.stop();
            for (Throwable t = e; t != null; t = t.getCause()) {
                // ISPN000408 / 000410: members run the cache with no layout, or with one from before (a
                // restored layout stays in their state until the next rebalance): join as a new member
                String m = String.valueOf(t.getMessage());
                if (t instanceof CacheJoinException && (m.contains("ISPN000408") || m.contains("ISPN000410"))) {
                    LOG.log(System.Logger.Level.INFO, "Members run the caches: starting again without the kept layouts ({0})", t);
                    return null;
                }
            }
            throw e;
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts keeping this cache's layout, if it has a store of this node's own. */
    public void keep(Cache<?, ?> cache) {
        boolean privateStore = cache.getCacheConfiguration().persistence().stores().stream().anyMatch(s -> !s.shared());
        boolean internal = GlobalComponentRegistry.componentOf(manager, InternalCacheRegistry.class)
                .isInternalCache(cache.getName());
        if (!privateStore || internal || !cache.getCacheConfiguration().clustering().cacheMode().isDistributed()) {
            return;
        }
        cache.addListener(new Settled(cache));
        save(cache);
    }

    private void save(Cache<?, ?> cache) {
        DistributionManager dm = cache.getAdvancedCache().getDistributionManager();
        CacheTopology topology = dm == null ? null : dm.getCacheTopology();
        if (topology == null || topology.getPhase() != CacheTopology.Phase.NO_REBALANCE
                || topology.getPendingCH() != null) {
            return; // mid-rebalance the previous layout's owners still hold every segment they had
        }
        if (!(topology.getCurrentCH() instanceof DefaultConsistentHash)) {
            // not a distributed layout (seen on a cache still joining): the next settled topology is kept
            LOG.log(System.Logger.Level.DEBUG, "{0} has a {1} layout (topology {2}); not kept", cache.getName(),
                    topology.getCurrentCH().getClass().getSimpleName(), topology.getTopologyId());
            return;
        }
        String name = cache.getName();
        synchronized (this) {
            Integer last = written.get(name);
            if (last != null && last >= topology.getTopologyId()) {
                return;
            }
            Function<Address, UUID> uuids = GlobalComponentRegistry.componentOf(manager, PersistentUUIDManager.class)
                    .addressToPersistentUUID();
            if (topology.getCurrentCH().getMembers().stream().anyMatch(m -> uuids.apply(m) == null)) {
                return; // a member's identity is not known here yet: the next settled topology is kept
            }
            ScopedPersistentState state = new ScopedPersistentStateImpl(PREFIX + name + ".next");
            state.setProperty(GlobalStateManagerImpl.VERSION, Version.getVersion());
            state.setProperty(GlobalStateManagerImpl.TIMESTAMP, java.time.Instant.now().toString());
            state.setProperty(GlobalStateManagerImpl.VERSION_MAJOR, Version.getMajor());
            topology.getCurrentCH().toScopedState(state, uuids);
            globalState.writeScopedState(state);
            try { // whole or not at all: a kill while writing leaves the previous layout
                Files.move(stateDir.resolve(PREFIX + name + ".next.state"), stateDir.resolve(PREFIX + name + ".state"),
                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.put(name, topology.getTopologyId());
        }
    }

    /** Keeps the layout of caches created while the node runs (tables created over Hot Rod). */
    @Listener(sync = false)
    public final class Created {
        @CacheStarted
        public void started(CacheStartedEvent event) {
            Cache<?, ?> cache = manager.getCache(event.getCacheName(), false); // never starts a removed one again
            if (cache != null && cache.getStatus().allowInvocations()) {
                keep(cache);
            }
        }
    }

    @Listener(observation = Listener.Observation.POST, sync = false)
    public final class Settled {
        private final Cache<?, ?> cache;

        Settled(Cache<?, ?> cache) {
            this.cache = cache;
        }

        @TopologyChanged
        public void changed(TopologyChangedEvent<?, ?> event) {
            save(cache);
        }
    }
}
