package dev.procpool.protocol;

/** Constants of the wire format shared by supervisor and worker. */
public final class Wire {
    /** Bumped on any incompatible change; the worker announces it in HELLO and the supervisor checks it. */
    public static final int PROTOCOL_VERSION = 3;
    /** "PPL1": every frame starts with it, so foreign bytes on the pipe are recognised at once. */
    static final int MAGIC = 0x50504c31;
    /** magic (4) + payload length (4) + type (1) + request id (8) + CRC32C of the payload (4). */
    static final int HEADER_BYTES = 21;
    /** Default upper bound of one frame's payload: larger objects fail with a serialization error, not an OOM. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 30;

    private Wire() {
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static long getLong(byte[] b, int at) {
        return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xffffffffL);
    }
}
