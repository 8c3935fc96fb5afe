package dev.procpool.worker;

import java.io.Serializable;

/**
 * What a single child JVM runs (Python's {@code Process(target=...)} or a subclass's {@code run()}): a lambda, or
 * an object whose fields travel with it. Returning ends the process with exit code 0, throwing with exit code 1.
 */
@FunctionalInterface
public interface ProcessTarget extends Serializable {
    void run() throws Exception;
}
