package dev.procpool.shared;

import java.util.concurrent.ConcurrentMap;

/**
 * A map shared by the JVMs of one family (Python's {@code Manager().dict()}). It holds copies of keys and values;
 * null keys and values: NullPointerException; compute/merge and the other functional methods run their function in
 * the calling process (ConcurrentMap's retry loops). Iteration is over a snapshot.
 */
public interface SharedMap<K, V> extends ConcurrentMap<K, V> {
}
