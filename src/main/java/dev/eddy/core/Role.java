package dev.eddy.core;

/**
 * What an Eddy process does (DESIGN.md, "Components"): one code base, one image, two roles.
 * A {@link #FUNCTION} serves requests and nothing else, so it can scale to zero; a
 * {@link #MAINTENANCE} instance runs the background duties (stream sweeping, index upkeep and
 * backfills, Time to Live, transaction recovery, statistics, triggers), each held by one live
 * instance through a lease; {@link #ALL} is both in one process, the embedded default.
 */
public enum Role {
    FUNCTION, MAINTENANCE, ALL;

    public boolean servesRequests() {
        return this != MAINTENANCE;
    }

    public boolean runsDuties() {
        return this != FUNCTION;
    }
}
