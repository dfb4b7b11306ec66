package dev.eddy.core.maintenance;

import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables as the maintenance role last listed them, refreshed at most once per interval and then
 * only when the catalog's change marker moved: what per-table duties are derived from, without a
 * listing of the catalog on every tick.
 */
public final class CatalogView {
    private final TableCatalog catalog;
    private final long refreshMillis;
    private volatile List<TableDefinition> tables = List.of();
    private volatile long refreshedAt;
    /** The catalog's change marker when it was last listed, and when. */
    private volatile byte[] listedAt;
    private volatile long listedMillis;
    private static final long RELIST_MILLIS = 60_000;

    public CatalogView(TableCatalog catalog, long refreshMillis) {
        this.catalog = catalog;
        this.refreshMillis = refreshMillis;
    }

    public List<TableDefinition> tables() {
        long now = System.currentTimeMillis();
        if (now - refreshedAt >= refreshMillis) {
            synchronized (this) {
                if (now - refreshedAt >= refreshMillis) {
                    byte[] marker = catalog.changeMarker();
                    // Listed again only when the catalog changed (one near-cached read otherwise), and
                    // once a minute whatever the marker says, should a change's marker write have been lost.
                    if (!java.util.Arrays.equals(marker, listedAt) || now - listedMillis >= RELIST_MILLIS) {
                        List<TableDefinition> fresh = new ArrayList<>();
                        for (String name : catalog.names()) {
                            // Strongly: the near cache may not have heard of the change the marker announced yet.
                            TableDefinition t = catalog.findConsistent(name);
                            if (t != null) {
                                fresh.add(t);
                            }
                        }
                        tables = fresh;
                        listedAt = marker;
                        listedMillis = now;
                    }
                    refreshedAt = now;
                }
            }
        }
        return tables;
    }

    /** Forgets the listing, so the next call lists again (after a change this process made). */
    public void invalidate() {
        refreshedAt = 0;
        listedAt = null;
    }
}
