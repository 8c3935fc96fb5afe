package dev.procpool.objects;

/**
 * A stored copy: an element, key or value as bytes, with the ids of the shared objects whose handles it contains.
 * {@code moved}: it left its container for the caller (a take), so the root may stop keeping those objects for it
 * once the caller holds them.
 */
public record Element(byte[] bytes, long[] embedded, boolean moved) {
    Element as(boolean movedOut) {
        return new Element(bytes, embedded, movedOut);
    }

    boolean sameBytes(byte[] other) {
        return java.util.Arrays.equals(bytes, other);
    }
}
