package dev.procpool.protocol;

/** The services a child can CALL in its parent, by number (part of the wire format: only add). */
public final class Services {
    /** Answers with its argument: for tests of the call path. */
    public static final int ECHO = 1;
    /** An operation on a shared object (dev.procpool.objects.Op), served by the root JVM. */
    public static final int OBJECTS = 2;

    private Services() {
    }
}
