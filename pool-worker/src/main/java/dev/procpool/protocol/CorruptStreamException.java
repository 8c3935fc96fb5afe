package dev.procpool.protocol;

import java.io.IOException;
import java.io.InputStream;

/** The byte stream does not hold frames where it should: something other than the protocol wrote to it. */
public final class CorruptStreamException extends IOException {
    private static final int SHOWN_BYTES = 64;

    CorruptStreamException(String problem, byte[] header, InputStream rest) {
        super(problem + "; the stream starts with " + describe(header, rest));
    }

    /** The header plus whatever else is already buffered, as hex and as text, so the culprit can be recognised. */
    private static String describe(byte[] header, InputStream rest) {
        byte[] shown = new byte[SHOWN_BYTES];
        System.arraycopy(header, 0, shown, 0, header.length);
        int count = header.length;
        try {
            int available = Math.min(rest.available(), SHOWN_BYTES - count);
            if (available > 0) {
                count += Math.max(0, rest.read(shown, count, available));
            }
        } catch (IOException ignored) {
            // only the header is shown
        }
        StringBuilder hex = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int b = shown[i] & 0xff;
            hex.append(String.format("%02x ", b));
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return hex.toString().trim() + " \"" + text + "\"";
    }
}
