package dev.procpool.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Writes frames: magic, payload length, type, request id, payload checksum, payload. The payload is always complete in memory before
 * the header is written, so a serialization failure can never leave half a frame on the pipe. Thread-safe: each frame
 * is written whole.
 */
public final class FrameWriter implements AutoCloseable {
    private final OutputStream out;
    private final byte[] header = new byte[Wire.HEADER_BYTES];
    private final CRC32C checksum = new CRC32C();

    public FrameWriter(OutputStream out) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    public synchronized void write(FrameType type, long requestId, byte[] payload, int length) throws IOException {
        Wire.putInt(header, 0, Wire.MAGIC);
        Wire.putInt(header, 4, length);
        header[8] = type.code;
        Wire.putLong(header, 9, requestId);
        checksum.reset();
        checksum.update(payload, 0, length);
        Wire.putInt(header, 17, (int) checksum.getValue());
        out.write(header);
        out.write(payload, 0, length);
    }

    /** Frames are buffered: flush after the last frame of a batch. */
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
