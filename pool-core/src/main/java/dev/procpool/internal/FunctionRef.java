package dev.procpool.internal;

/** A task function serialized once; workers keep it under {@code id} after the first DEFINE. */
record FunctionRef(long id, byte[] bytes) {
}
