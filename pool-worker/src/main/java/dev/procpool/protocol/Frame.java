package dev.procpool.protocol;

/**
 * One decoded frame: its type, the request it belongs to (0 if none) and its payload, the first {@code length}
 * bytes of {@code payload} (a reader that reuses its buffer hands out a larger array).
 */
public record Frame(FrameType type, long requestId, byte[] payload, int length) {
    public Frame(FrameType type, long requestId, byte[] payload) {
        this(type, requestId, payload, payload.length);
    }
}
