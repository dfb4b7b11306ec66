package dev.eddy.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.commons.util.GlobUtils;
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

    private static ConfigurationBuilderHolder serverConfiguration() {
        List<Manifest> configMaps = Manifests.where(m -> m.is("v1", "ConfigMap") && m.name().equals("eddy-infinispan-config"));
        assertEquals(1, configMaps.size(), "one ConfigMap eddy-infinispan-config");
        String yaml = configMaps.get(0).tree().path("data").path("infinispan-config.yaml").asText();
        return new ParserRegistry().parse(yaml, MediaType.APPLICATION_YAML);
    }

    private static Configuration template() {
        ConfigurationBuilder builder = serverConfiguration().getNamedConfigurationBuilders().get(TEMPLATE);
        assertNotNull(builder, "the server configuration defines " + TEMPLATE);
        return builder.build();
    }

    /**
     * Every cache Eddy creates is named {@code eddy.} something (tables {@code eddy.t.<id>}, Eddy's own
     * {@code eddy.catalog}, ...), and each finds the template's settings by its name alone, as
     * Infinispan looks a name up (exactly, then the one wildcard it matches): the coordinator of a
     * cache created through another node may meet the cache before its own configuration, and it
     * then decides the cache's partition handling from this (scenario 6 of the fault suite).
     */
    @Test
    void everyCacheEddyCreatesHasTheTemplatesSettingsByItsNameAlone() {
        ConfigurationBuilderHolder server = serverConfiguration();
        List<String> wildcards = server.getNamedConfigurationBuilders().keySet().stream().filter(GlobUtils::isGlob).toList();
        for (String cache : List.of("eddy.t.3f1b096c-940e-470f-846c-b7420b9ccc63", "eddy.catalog", "eddy.leases",
                "eddy.keys", "eddy.pending")) {
            List<String> matching = wildcards.stream().filter(w -> cache.matches(GlobUtils.globToRegex(w))).toList();
            assertEquals(1, matching.size(), cache + " matches exactly one wildcard configuration: " + wildcards);
            Configuration byName = server.getNamedConfigurationBuilders().get(matching.get(0)).build();
            assertTrue(byName.isTemplate(), matching.get(0) + " is a template, not a cache the servers start");
            assertEquals(template(), byName, cache + " gets the " + TEMPLATE + " settings");
        }
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
    void deniesReadsAndWritesInAMinorityPartitionAndKeepsTheMajoritysEntriesAtTheMerge() {
        Configuration c = template();
        assertEquals(PartitionHandling.DENY_READ_WRITES, c.clustering().partitionHandling().whenSplit());
        assertEquals(MergePolicy.PREFERRED_ALWAYS, c.clustering().partitionHandling().mergePolicy());
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
