package dev.eddy.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form items take in storage: a type tag per value, varint lengths, UTF-8 text.
 * Compact and cheap to decode; the wire JSON is produced from the decoded values.
 */
public final class ItemCodec {
    private static final AttributeValue.Type[] TYPES = AttributeValue.Type.values();

    private ItemCodec() {
    }

    public static byte[] encode(Map<String, AttributeValue> item) {
        ByteWriter w = new ByteWriter(256);
        writeItem(w, item);
        return w.toByteArray();
    }

    public static Map<String, AttributeValue> decode(byte[] bytes) {
        return readItem(new ByteReader(bytes));
    }

    public static void writeItem(ByteWriter w, Map<String, AttributeValue> item) {
        w.varint(item.size());
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            w.string(e.getKey());
            writeValue(w, e.getValue());
        }
    }

    public static Map<String, AttributeValue> readItem(ByteReader r) {
        int n = (int) r.varint();
        Map<String, AttributeValue> item = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String name = r.string();
            item.put(name, readValue(r));
        }
        return item;
    }

    public static void writeValue(ByteWriter w, AttributeValue v) {
        w.write(v.type().ordinal());
        switch (v.type()) {
            case S -> w.string(v.s());
            case N -> w.string(v.n());
            case B -> w.bytes(v.b());
            case BOOL -> w.write(v.bool() ? 1 : 0);
            case NULL -> {
            }
            case M -> writeItem(w, v.m());
            case L -> {
                w.varint(v.l().size());
                for (AttributeValue m : v.l()) {
                    writeValue(w, m);
                }
            }
            case SS -> writeStrings(w, v.ss());
            case NS -> writeStrings(w, v.ns());
            case BS -> {
                w.varint(v.bs().size());
                for (byte[] m : v.bs()) {
                    w.bytes(m);
                }
            }
        }
    }

    private static void writeStrings(ByteWriter w, List<String> members) {
        w.varint(members.size());
        for (String m : members) {
            w.string(m);
        }
    }

    public static AttributeValue readValue(ByteReader r) {
        AttributeValue.Type type = TYPES[r.read()];
        return switch (type) {
            case S -> AttributeValue.s(r.string());
            case N -> AttributeValue.n(r.string());
            case B -> AttributeValue.b(r.bytes());
            case BOOL -> AttributeValue.bool(r.read() != 0);
            case NULL -> AttributeValue.nul();
            case M -> AttributeValue.m(readItem(r));
            case L -> {
                int n = (int) r.varint();
                List<AttributeValue> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(readValue(r));
                }
                yield AttributeValue.l(l);
            }
            case SS -> AttributeValue.ss(readStrings(r));
            case NS -> AttributeValue.ns(readStrings(r));
            case BS -> {
                int n = (int) r.varint();
                List<byte[]> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(r.bytes());
                }
                yield AttributeValue.bs(l);
            }
        };
    }

    private static List<String> readStrings(ByteReader r) {
        int n = (int) r.varint();
        List<String> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            l.add(r.string());
        }
        return l;
    }
}
