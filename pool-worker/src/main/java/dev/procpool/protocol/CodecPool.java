package dev.procpool.protocol;

import java.util.concurrent.ConcurrentLinkedQueue;

/** Codecs for threads that are not one of the protocol's own (a task's threads calling the parent, say). */
public final class CodecPool {
    private final ConcurrentLinkedQueue<Codec> idle = new ConcurrentLinkedQueue<>();
    private final ClassLoader classLoader;
    private final int maxFrameBytes;

    public CodecPool(ClassLoader classLoader, int maxFrameBytes) {
        this.classLoader = classLoader;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The payload limit of its codecs. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public Codec borrow() {
        Codec codec = idle.poll();
        return codec != null ? codec : new Codec(classLoader, maxFrameBytes);
    }

    public void release(Codec codec) {
        idle.offer(codec);
    }
}
