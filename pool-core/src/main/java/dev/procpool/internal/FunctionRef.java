package dev.procpool.internal;

/**
 * A task function serialized once; workers keep it under {@code id} after the first DEFINE. {@code handles}: the
 * shared objects its captured state refers to, given to each worker it is sent to.
 */
record FunctionRef(long id, byte[] bytes, long[] handles) {
}
