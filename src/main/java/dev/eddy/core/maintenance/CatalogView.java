package dev.eddy.core.maintenance;

import dev.eddy.core.table.TableCatalog;
import dev.eddy.core.table.TableDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables as the maintenance role last listed them, refreshed at most once per interval: what
 * per-table duties are derived from, without a listing of the catalog on every tick.
 */
public final class CatalogView {
    private final TableCatalog catalog;
    private final long refreshMillis;
    private volatile List<TableDefinition> tables = List.of();
    private volatile long refreshedAt;

    public CatalogView(TableCatalog catalog, long refreshMillis) {
        this.catalog = catalog;
        this.refreshMillis = refreshMillis;
    }

    public List<TableDefinition> tables() {
        long now = System.currentTimeMillis();
        if (now - refreshedAt >= refreshMillis) {
            synchronized (this) {
                if (now - refreshedAt >= refreshMillis) {
                    List<TableDefinition> fresh = new ArrayList<>();
                    for (String name : catalog.names()) {
                        TableDefinition t = catalog.find(name);
                        if (t != null) {
                            fresh.add(t);
                        }
                    }
                    tables = fresh;
                    refreshedAt = now;
                }
            }
        }
        return tables;
    }

    /** Forgets the listing, so the next call lists again (after a change this process made). */
    public void invalidate() {
        refreshedAt = 0;
    }
}
