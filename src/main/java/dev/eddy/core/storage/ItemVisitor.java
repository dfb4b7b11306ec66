package dev.eddy.core.storage;

import dev.eddy.core.model.AttributeValue;

/** Receives a collection's items in order; returns false to stop. */
@FunctionalInterface
public interface ItemVisitor {
    boolean visit(AttributeValue sortKey, byte[] itemBytes);
}
