package dev.procpool.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logger made when it first logs. A pool that has nothing to say does not start the logging backend, which costs
 * a program's first pool up to a hundred milliseconds (slf4j-simple formats dates with the JDK's locale data) before
 * its first worker could be launched.
 */
public final class LazyLogger {
    private final String name;
    private volatile Logger logger;

    public LazyLogger(Class<?> owner) {
        this(owner.getName());
    }

    public LazyLogger(String name) {
        this.name = name;
    }

    public Logger get() {
        Logger made = logger;
        if (made == null) {
            made = LoggerFactory.getLogger(name); // idempotent: a race makes the same logger twice
            logger = made;
        }
        return made;
    }
}
