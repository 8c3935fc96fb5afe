package dev.procpool.worker;

import java.io.Serializable;

/**
 * A function that runs in a worker JVM. It is serialized once per worker (Kryo, so captured state travels with it)
 * and then referred to by id, so a lambda costs one transfer per worker, not one per call.
 *
 * @param <T> input type, sent to the worker
 * @param <R> result type, sent back to the supervisor
 */
@FunctionalInterface
public interface Task<T, R> extends Serializable {
    R apply(T input) throws Exception;
}
