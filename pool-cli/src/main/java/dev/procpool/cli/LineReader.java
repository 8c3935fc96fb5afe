package dev.procpool.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lines of a UTF-8 input, read only as they are asked for, so memory does not grow with the input. A line ends
 * at "\n" or "\r\n"; a last line without one counts too. It counts the exact bytes consumed so far, which against the
 * input's size estimates the number of lines before they are all read (for the ETA). One thread iterates; another
 * may read the counters. Closing it closes the input stream.
 */
final class LineReader implements Iterator<String>, Closeable {
    private final InputStream in;
    private final long size;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private boolean eof; // sticky: a terminal gives end-of-file once per Ctrl-D and would then be read again
    private byte[] line = new byte[256];
    private String next;
    private volatile boolean ended;
    // written by the iterating thread only, read by the progress thread
    private volatile long lines;
    private volatile long bytes;

    /** @param size the input's length in bytes, or -1 if unknown */
    LineReader(InputStream in, long size) {
        this.in = in;
        this.size = size;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !ended) {
            try {
                next = readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return next != null;
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        String result = next;
        next = null;
        return result;
    }

    /** The number of lines: exact once the input is read, else extrapolated from the bytes read; -1 if unknown. */
    long estimatedLines() {
        if (ended) {
            return lines;
        }
        long read = bytes;
        return size > 0 && read > 0 ? Math.round(lines * ((double) size / read)) : -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private String readLine() throws IOException {
        int length = 0;
        long consumed = 0;
        while (true) {
            if (position == limit && !fill()) {
                if (consumed == 0) {
                    ended = true;
                    return null;
                }
                break;
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int n = position - start;
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.max(2 * line.length, length + n));
            }
            System.arraycopy(buffer, start, line, length, n);
            length += n;
            consumed += n;
            if (position < limit) {
                position++; // the '\n'
                consumed++;
                break;
            }
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        bytes += consumed;
        lines++;
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    private boolean fill() throws IOException {
        int n = eof ? -1 : in.read(buffer);
        eof = n < 0;
        position = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }
}
