package dev.procpool.protocol;

/** The services a child can CALL in its parent, by number (part of the wire format: only add). */
public final class Services {
    /** Answers with its argument: for tests of the call path. */
    public static final int ECHO = 1;
    /** An operation on a shared object (dev.procpool.objects.Op), served by the root JVM. */
    public static final int OBJECTS = 2;
    /**
     * The bytes of a class (argument: its binary name) from the class loaders of the pool's tasks and initializer,
     * or null: for classes a child cannot find on its own classpath.
     */
    public static final int CLASS_BYTES = 3;
    /** The bytes of a resource (argument: its name), as {@link #CLASS_BYTES}, or null. */
    public static final int RESOURCE_BYTES = 4;

    private Services() {
    }
}
