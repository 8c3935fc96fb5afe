package dev.procpool.internal;

import java.util.List;

/**
 * Everything a supervisor needs, validated by the builder.
 *
 * @param workers          number of worker slots
 * @param maxTasksPerChild tasks (apply calls or map chunks) a worker runs before it is replaced; 0 = unlimited
 * @param initializer      serialized initializer, or null
 * @param command          the worker's full command line: java, options, classpath, main class
 * @param classLoader      loads result and exception classes in the supervisor
 */
public record PoolConfig(int workers, int maxTasksPerChild, byte[] initializer, List<String> command,
                         ClassLoader classLoader) {
    public PoolConfig {
        command = List.copyOf(command);
    }
}
