package dev.procpool.protocol;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/** Reads frames written by {@link FrameWriter}. Not thread-safe: one reader thread per stream. */
public final class FrameReader {
    private final InputStream in;
    private final int maxPayloadBytes;
    private final byte[] header = new byte[Wire.HEADER_BYTES];
    private final CRC32C checksum = new CRC32C();

    private static final int KEEP_BUFFER_BYTES = 8 * 1024 * 1024;
    private final boolean reuseBuffer;
    private byte[] buffer = new byte[0];

    /** A reader whose frames each own their payload array (they may be kept after the next read). */
    public FrameReader(InputStream in, int maxPayloadBytes) {
        this(in, maxPayloadBytes, false);
    }

    /**
     * @param reuseBuffer read every payload into one grow-only buffer (below 8 MiB): for a reader that is done
     *                    with a frame before it reads the next, so that large payloads are not allocated twice
     */
    public FrameReader(InputStream in, int maxPayloadBytes, boolean reuseBuffer) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.maxPayloadBytes = maxPayloadBytes;
        this.reuseBuffer = reuseBuffer;
    }

    /**
     * The next frame, or null at a clean end of stream (between frames).
     *
     * @throws CorruptStreamException when the bytes are not a frame (bad magic, type, length or checksum)
     * @throws EOFException when the stream ends inside a frame
     */
    public Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        readFully(header, 1, header.length - 1);
        int magic = Wire.getInt(header, 0);
        int length = Wire.getInt(header, 4);
        FrameType type = FrameType.ofCode(header[8]);
        if (magic != Wire.MAGIC || type == null || length < 0) {
            throw new CorruptStreamException("not a procpool frame", header, in);
        }
        if (length > maxPayloadBytes) {
            throw new CorruptStreamException("frame of " + length + " bytes exceeds the maximum of "
                    + maxPayloadBytes, header, in);
        }
        byte[] payload = payloadArray(length);
        readFully(payload, 0, length);
        checksum.reset();
        checksum.update(payload, 0, length);
        if ((int) checksum.getValue() != Wire.getInt(header, 17)) {
            // bytes from elsewhere were interleaved with the frame (a large write is not atomic on a pipe)
            throw new CorruptStreamException("payload checksum mismatch in a " + type + " frame of " + length
                    + " bytes", header, new ByteArrayInputStream(payload, 0, length));
        }
        return new Frame(type, Wire.getLong(header, 9), payload, length);
    }

    private byte[] payloadArray(int length) {
        if (!reuseBuffer) {
            return new byte[length];
        }
        if (buffer.length >= length) {
            return buffer;
        }
        byte[] grown = new byte[Math.max(length, Math.min(2 * buffer.length, maxPayloadBytes))];
        if (grown.length <= KEEP_BUFFER_BYTES) {
            buffer = grown;
        }
        return grown;
    }

    private void readFully(byte[] buffer, int offset, int length) throws IOException {
        while (length > 0) {
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                throw new EOFException("stream ended inside a frame");
            }
            offset += n;
            length -= n;
        }
    }
}
