package dev.procpool.worker;

import java.io.Serializable;

/**
 * Runs once in every worker process before its first task, replacements included. Typical use: open a per-worker
 * resource and keep it in a static field that tasks read. If it throws, the worker does not start.
 */
@FunctionalInterface
public interface Initializer extends Serializable {
    void run() throws Exception;
}
