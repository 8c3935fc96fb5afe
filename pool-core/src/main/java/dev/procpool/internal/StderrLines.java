package dev.procpool.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A child's stderr: every whole line logged through SLF4J (logger {@code dev.procpool.worker.stderr}) with the
 * child's label, and the last lines kept for failure messages. {@link #forward} runs on the child's own
 * {@code -stderr} thread until the stream ends.
 */
public final class StderrLines {
    private static final LazyLogger LOG = new LazyLogger("dev.procpool.worker.stderr");
    private static final int TAIL_LINES = 20;
    private static final int TAIL_LINE_CHARS = 500;

    private final Supplier<String> label;
    private final ArrayDeque<String> tail = new ArrayDeque<>(); // guards itself
    private final CountDownLatch done = new CountDownLatch(1);

    /** @param label what each line is logged under, asked per line (a pid may become known late) */
    public StderrLines(Supplier<String> label) {
        this.label = label;
    }

    public void forward(InputStream stderr) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                LOG.get().info("[{}] {}", label.get(), line);
                note(line);
            }
        } catch (IOException e) {
            // stream closed after exit
        } finally {
            done.countDown();
        }
    }

    /** Keeps a line in the tail (also one that procpool itself has to say about the child). */
    public void note(String line) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line.length() > TAIL_LINE_CHARS ? line.substring(0, TAIL_LINE_CHARS) + "..." : line);
        }
    }

    /** Waits (bounded) until the stream has ended, so that the last lines are in the tail. */
    public void awaitEnd(long seconds) throws InterruptedException {
        done.await(seconds, TimeUnit.SECONDS);
    }

    /** The last lines the child wrote to stderr. */
    public String tail() {
        synchronized (tail) {
            return tail.isEmpty() ? "(stderr was empty)" : "last stderr lines:\n  " + String.join("\n  ", tail);
        }
    }
}
