package dev.eddy.functions.bench.jmh;

import dev.eddy.core.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The items the microbenchmarks read and write. */
final class BenchItems {
    private BenchItems() {
    }

    /** A YCSB record: a string key and ten 100-character string fields, about 1 KB. */
    static Map<String, AttributeValue> ycsb(String key) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("ycsb_key", AttributeValue.s(key));
        for (int f = 0; f < 10; f++) {
            item.put("field" + f, AttributeValue.s(Character.toString('a' + f).repeat(100)));
        }
        return item;
    }

    /** An item using every kind of value: numbers, sets, a nested map and a list. */
    static Map<String, AttributeValue> mixed(String key) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("ycsb_key", AttributeValue.s(key));
        item.put("count", AttributeValue.n("42"));
        item.put("price", AttributeValue.n("1234.5678"));
        item.put("active", AttributeValue.bool(true));
        item.put("tags", AttributeValue.ss(List.of("red", "green", "blue")));
        item.put("scores", AttributeValue.ns(List.of("1", "2.5", "-3")));
        item.put("blob", AttributeValue.b(new byte[64]));
        item.put("address", AttributeValue.m(Map.of("street", AttributeValue.s("1 Main St"),
                "city", AttributeValue.s("Springfield"), "zip", AttributeValue.n("12345"))));
        item.put("history", AttributeValue.l(List.of(AttributeValue.s("created"), AttributeValue.n("1700000000"),
                AttributeValue.m(Map.of("by", AttributeValue.s("admin"))))));
        item.put("note", AttributeValue.nul());
        return item;
    }
}
