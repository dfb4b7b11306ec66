package dev.eddy.core.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eddy.core.storage.Entries;
import dev.eddy.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The backups' metadata, in the {@value #CACHE} cache: one small record per backup, keyed by its
 * id, apart from the backups' data (each backup's own cache), so listing backups reads metadata
 * only. Records change by compare-and-set.
 */
public final class BackupCatalog {
    public static final String CACHE = Storage.PREFIX + "backups";
    private static final int MAX_ATTEMPTS = 1_000;

    private final Storage storage;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public BackupCatalog(Storage storage) {
        this.storage = storage;
        storage.createCache(CACHE);
    }

    private Entries cache() {
        return storage.strong(CACHE);
    }

    private static byte[] key(String backupId) {
        return backupId.getBytes(StandardCharsets.UTF_8);
    }

    public boolean create(Backup backup) {
        return cache().putIfAbsent(key(backup.backupId()), encode(backup));
    }

    /** The backup as stored now, or null. */
    public Backup find(String backupId) {
        byte[] bytes = cache().get(key(backupId));
        return bytes == null ? null : decode(bytes);
    }

    /** Applies a change by compare-and-set; the new record, or null when there is none. The change may throw to refuse. */
    public Backup update(String backupId, UnaryOperator<Backup> change) {
        Entries cache = cache();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Entries.Versioned current = cache.getVersioned(key(backupId));
            if (current == null) {
                return null;
            }
            Backup next = change.apply(decode(current.value()));
            if (cache.replace(key(backupId), encode(next), current)) {
                return next;
            }
        }
        throw new IllegalStateException("backup record " + backupId + " did not settle");
    }

    public void remove(String backupId) {
        cache().remove(key(backupId));
    }

    /** Every backup's record (metadata only). */
    public List<Backup> all() {
        List<Backup> out = new ArrayList<>();
        cache().forEachEntry((k, v) -> out.add(decode(v)));
        return out;
    }

    private byte[] encode(Backup b) {
        try {
            return json.writeValueAsBytes(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Backup decode(byte[] bytes) {
        try {
            return json.readValue(bytes, Backup.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
