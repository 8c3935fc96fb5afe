package dev.procpool.objects;

/**
 * A handle user code holds: in the root the object itself as far as its user can tell (no I/O); in a child a
 * proxy that calls the root. There is one per object in each JVM; it travels as its {@link Ref}.
 */
interface Shareable {
    Ref ref();
}
