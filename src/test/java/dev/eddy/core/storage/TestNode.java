package dev.eddy.core.storage;

import dev.eddy.core.StorageConfig;
import dev.eddy.core.Meters;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.server.core.admin.embeddedserver.EmbeddedServerAdminOperationHandler;
import org.infinispan.server.hotrod.HotRodServer;
import org.infinispan.server.hotrod.configuration.HotRodServerConfigurationBuilder;

/**
 * A real Infinispan node with its Hot Rod server on a free loopback port, for the engine's own
 * tests: in memory, with the {@code eddy-table} template the engine creates table caches from.
 */
final class TestNode implements AutoCloseable {
    private final DefaultCacheManager manager;
    private final HotRodServer server;
    final Storage storage;

    TestNode(long nearCacheBytes, int pageBytes) {
        GlobalConfigurationBuilder global = new GlobalConfigurationBuilder().nonClusteredDefault();
        global.cacheContainer().statistics(false);
        // Caches are created over Hot Rod, which needs global state; nothing here outlives the test.
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("eddy-core-test");
            global.globalState().enable().persistentLocation(dir.toString()).sharedPersistentLocation(dir.toString())
                    .temporaryLocation(dir.toString()).configurationStorage(org.infinispan.globalstate.ConfigurationStorage.OVERLAY);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        manager = new DefaultCacheManager(global.build(), false);
        ConfigurationBuilder template = new ConfigurationBuilder();
        template.template(true).clustering().cacheMode(CacheMode.LOCAL);
        template.encoding().mediaType("application/octet-stream");
        manager.defineConfiguration(StorageConfig.DEFAULT_TEMPLATE, template.build());
        manager.start();
        server = new HotRodServer();
        server.start(new HotRodServerConfigurationBuilder().host("127.0.0.1").port(0)
                .adminOperationsHandler(new EmbeddedServerAdminOperationHandler()).build(), manager);
        server.postStart();
        storage = new Storage(new StorageConfig("127.0.0.1:" + server.getPort(), StorageConfig.DEFAULT_TEMPLATE,
                nearCacheBytes, pageBytes));
    }

    ItemStore items(int pageBytes) {
        return new ItemStore(storage, pageBytes, new Meters());
    }

    /** Every key of a cache, as the servers hold them now. */
    java.util.List<byte[]> keys(String cacheName) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        try (var it = storage.strong(cacheName).keys()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Override
    public void close() {
        storage.close();
        server.stop();
        manager.stop();
    }
}
