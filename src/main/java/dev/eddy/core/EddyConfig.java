package dev.eddy.core;

import dev.eddy.core.storage.StorageConfig;

/**
 * Settings of one Eddy process.
 *
 * @param region    reported in ARNs (and stream records)
 * @param accountId reported in ARNs
 */
public record EddyConfig(String region, String accountId, StorageConfig storage) {
}
