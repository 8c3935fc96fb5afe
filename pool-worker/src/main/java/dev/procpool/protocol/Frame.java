package dev.procpool.protocol;

/** One decoded frame: its type, the request it belongs to (0 if none) and its payload bytes. */
public record Frame(FrameType type, long requestId, byte[] payload) {
}
