package dev.procpool.bench;

import java.util.AbstractList;
import java.util.RandomAccess;

/** Python's {@code range(n)}: a sized, lazy list of 0..n-1; each Integer is boxed when it is read, as Python does. */
public final class Range extends AbstractList<Integer> implements RandomAccess {
    private final int size;

    private Range(int size) {
        this.size = size;
    }

    public static Range of(int n) {
        return new Range(n);
    }

    @Override
    public Integer get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return index;
    }

    @Override
    public int size() {
        return size;
    }
}
