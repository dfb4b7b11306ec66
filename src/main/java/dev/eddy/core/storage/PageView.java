package dev.eddy.core.storage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.eddy.core.json.AttributeValueJson;
import dev.eddy.core.model.ItemCodec;
import dev.eddy.core.storage.near.StoredBytes;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A stored item page as readers see it: decoded once per stored value, and each item's DynamoDB JSON
 * rendered at its first read, both kept with the value ({@link StoredBytes}) for as long as the near
 * cache holds it. A read the near cache answers then copies the item's JSON into its response: no
 * decoding and no encoding. The page here is never written to; writers decode their own.
 */
final class PageView {
    private static final JsonFactory JSON = new JsonFactory();

    final ItemPage page;
    private final boolean sorted;
    private final byte[][] json;

    private PageView(ItemPage page, boolean sorted) {
        this.page = page;
        this.sorted = sorted;
        this.json = new byte[page.size()][];
    }

    /** The view a reader attached to the value already, or null. */
    static PageView attached(StoredBytes stored, boolean sorted) {
        return stored.view() instanceof PageView view && view.sorted == sorted ? view : null;
    }

    /**
     * The value's view, made (and charged to the near cache's budget, about its own size) by the first
     * reader from the value's plain bytes ({@link Entries#plain}).
     */
    static PageView of(StoredBytes stored, byte[] plain, boolean sorted) {
        PageView view = attached(stored, sorted);
        if (view != null) {
            return view;
        }
        view = new PageView(ItemPage.decode(plain, sorted), sorted);
        stored.attach(view, plain.length);
        return view;
    }

    /** The item at a slot as DynamoDB JSON (an object, as GetItem returns it). */
    byte[] json(int slot, StoredBytes stored) {
        byte[] j = json[slot];
        if (j == null) {
            j = render(page.itemBytesAt(slot));
            json[slot] = j;
            stored.charge(j.length);
        }
        return j;
    }

    static byte[] render(byte[] itemBytes) {
        return render(ItemCodec.decode(itemBytes), itemBytes.length + itemBytes.length / 2 + 16);
    }

    static byte[] render(java.util.Map<String, dev.eddy.core.model.AttributeValue> item, int sizeHint) {
        ByteArrayBuilder out = new ByteArrayBuilder(sizeHint);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            AttributeValueJson.writeItem(g, item);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
