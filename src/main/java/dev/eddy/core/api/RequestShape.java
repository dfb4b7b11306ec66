package dev.eddy.core.api;

import dev.eddy.core.json.JsonMembers.MemberReader;

/**
 * The members of an operation's request that are read into their own form as the body streams by
 * (an item, a key, ExpressionAttributeValues), instead of into a JSON tree first. Members not named
 * here are kept as they came: scalars as text, structures as trees. Reading a member through
 * {@link Request#read} with the reader named here is then free; any other member is read on demand.
 */
public final class RequestShape {
    public static final RequestShape NONE = new RequestShape(new String[0], new MemberReader<?>[0]);

    private final String[] names;
    private final MemberReader<?>[] readers;

    private RequestShape(String[] names, MemberReader<?>[] readers) {
        this.names = names;
        this.readers = readers;
    }

    /** Pairs of a member name and its reader. */
    public static RequestShape of(Object... membersAndReaders) {
        int n = membersAndReaders.length / 2;
        String[] names = new String[n];
        MemberReader<?>[] readers = new MemberReader<?>[n];
        for (int i = 0; i < n; i++) {
            names[i] = (String) membersAndReaders[2 * i];
            readers[i] = (MemberReader<?>) membersAndReaders[2 * i + 1];
        }
        return new RequestShape(names, readers);
    }

    /** The reader of a member, or null when it is kept as it came. */
    MemberReader<?> reader(String member) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(member)) {
                return readers[i];
            }
        }
        return null;
    }
}
