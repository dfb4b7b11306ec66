package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.storage.near.StoredBytes;
import java.util.Map;

/**
 * An item as a read found it: its attributes, and its DynamoDB JSON, which for an item read from a
 * page the near cache holds was rendered once and is only copied from then on (see {@link PageView}).
 */
public final class StoredItem {
    private final Map<String, AttributeValue> item;
    private final PageView view;
    private final StoredBytes stored;
    private final int slot;

    private StoredItem(Map<String, AttributeValue> item, PageView view, StoredBytes stored, int slot) {
        this.item = item;
        this.view = view;
        this.stored = stored;
        this.slot = slot;
    }

    static StoredItem of(Map<String, AttributeValue> item) {
        return item == null ? null : new StoredItem(item, null, null, -1);
    }

    static StoredItem inView(PageView view, StoredBytes stored, int slot) {
        return new StoredItem(null, view, stored, slot);
    }

    /** The item's attributes (decoded for each call when it came from a page view: callers keep what they need). */
    public Map<String, AttributeValue> item() {
        return item != null ? item : ItemCodec.decode(view.page.itemBytesAt(slot));
    }

    /** The item as DynamoDB JSON, an object. */
    public byte[] json() {
        return view != null ? view.json(slot, stored) : PageView.render(item, 256);
    }
}
