package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.cache.StoreConfiguration;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.conflict.MergePolicy;
import org.infinispan.partitionhandling.PartitionHandling;
import org.infinispan.persistence.sifs.configuration.SoftIndexFileStoreConfiguration;
import org.junit.jupiter.api.Test;

/**
 * The eddy-table template that the Infinispan Operator gives every server (k8s/20-), read by
 * Infinispan's own configuration parser, is the template the embedded node builds in code
 * (dev stack, EmbeddedInfinispan) with a cluster: what each table cache is created from.
 */
class InfinispanTemplateTest {
    private static final String TEMPLATE = "eddy-table";

    private static Configuration template() {
        return configuration(TEMPLATE);
    }

    private static Configuration configuration(String name) {
        List<Manifest> configMaps = Manifests.where(m -> m.is("v1", "ConfigMap") && m.name().equals("eddy-infinispan-config"));
        assertEquals(1, configMaps.size(), "one ConfigMap eddy-infinispan-config");
        String yaml = configMaps.get(0).tree().path("data").path("infinispan-config.yaml").asText();
        ConfigurationBuilderHolder holder = new ParserRegistry().parse(yaml, MediaType.APPLICATION_YAML);
        ConfigurationBuilder builder = holder.getNamedConfigurationBuilders().get(name);
        assertNotNull(builder, "the server configuration defines " + name);
        return builder.build();
    }

    /**
     * Infinispan's coordinator finds a cache's partition handling by the cache's name when the cache first
     * starts, possibly before the configuration it was created with has reached it: a template whose name
     * matches every cache Eddy creates ("eddy." and a name) makes sure it finds the same one.
     */
    @Test
    void isAlsoFoundByTheNameOfEveryCacheEddyCreates() {
        Configuration everyCache = configuration("eddy.*");
        assertTrue(everyCache.isTemplate());
        // written out, not inherited: a configuration inherited from eddy-table names it, and so differs
        assertEquals(template().toStringConfiguration("c"), everyCache.toStringConfiguration("c"),
                "eddy.* is eddy-table under another name");
        String pattern = org.infinispan.commons.util.GlobUtils.globToRegex("eddy.*");
        for (String cache : List.of("eddy.catalog", "eddy.leases", "eddy.t.0b6c1a9e-5f4e-4a43-9a53-1c2f0d6e7b8a")) {
            assertTrue(cache.matches(pattern), cache);
        }
        assertFalse(TEMPLATE.matches(pattern), "the template's own name is not a cache's");
    }

    @Test
    void isATemplateTheConfigMapNamedByTheInfinispanResource() {
        assertTrue(template().isTemplate(), TEMPLATE + " is a template (distributedCacheConfiguration), not a cache");
        Manifest infinispan = Manifests.ofKind("infinispan.org/v1", "Infinispan").get(0);
        assertEquals("eddy-infinispan-config", infinispan.tree().path("spec").path("configMapName").asText());
    }

    @Test
    void keepsTwoSynchronousCopiesOfEachEntryIn16Segments() {
        Configuration c = template();
        assertEquals(CacheMode.DIST_SYNC, c.clustering().cacheMode());
        assertEquals(2, c.clustering().hash().numOwners());
        assertEquals(16, c.clustering().hash().numSegments());
    }

    @Test
    void deniesReadsAndWritesInAMinorityPartitionAndTakesTheMajoritysStateAtTheMerge() {
        Configuration c = template();
        assertEquals(PartitionHandling.DENY_READ_WRITES, c.clustering().partitionHandling().whenSplit());
        assertEquals(MergePolicy.NONE, c.clustering().partitionHandling().mergePolicy());
    }

    @Test
    void storesTheBytesEddySends() {
        Configuration c = template();
        assertEquals(MediaType.APPLICATION_OCTET_STREAM, c.encoding().keyDataType().mediaType());
        assertEquals(MediaType.APPLICATION_OCTET_STREAM, c.encoding().valueDataType().mediaType());
    }

    @Test
    void writesThroughToAFileStoreOfItsOwnThatSurvivesARestart() {
        Configuration c = template();
        assertFalse(c.persistence().passivation(), "every entry is in the store, not only evicted ones");
        assertEquals(1, c.persistence().stores().size());
        StoreConfiguration store = c.persistence().stores().get(0);
        assertInstanceOf(SoftIndexFileStoreConfiguration.class, store);
        assertFalse(store.async().enabled(), "written through: on disk before the write is acknowledged");
        assertFalse(store.shared(), "each node keeps its own store on its own volume");
        assertFalse(store.purgeOnStartup(), "a restarted node keeps its data");
        assertFalse(store.preload());
        assertTrue(store.segmented());
    }
}
