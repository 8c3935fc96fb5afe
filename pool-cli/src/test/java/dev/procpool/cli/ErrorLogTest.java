package dev.procpool.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.RemoteException;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON lines of --errors, as written: the format the README documents. */
class ErrorLogTest {
    /** Keeps each write apart, to show that a line reaches the stream in one piece. */
    private static final class Writes extends Writer {
        final List<String> writes = new ArrayList<>();

        @Override
        public void write(char[] chars, int offset, int length) {
            writes.add(new String(chars, offset, length));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static String report(long line, Throwable failure) throws IOException {
        Writes out = new Writes();
        new ErrorLog(out, "").report(line, failure);
        assertEquals(1, out.writes.size(), out.writes::toString);
        return out.writes.get(0);
    }

    @Test
    void aFailureIsOneLineAfterThePrefixInOneWrite() throws IOException {
        Writes out = new Writes();
        ErrorLog log = new ErrorLog(out, "\r\033[K");
        log.report(4, new NumberFormatException("For input string: \"ten\""));
        log.report(8, new IllegalArgumentException("x"));
        assertEquals(List.of(
                "\r\033[K{\"line\":4,\"exception\":\"java.lang.NumberFormatException\","
                        + "\"message\":\"For input string: \\\"ten\\\"\"}\n",
                "\r\033[K{\"line\":8,\"exception\":\"java.lang.IllegalArgumentException\",\"message\":\"x\"}\n"),
                out.writes);
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() throws IOException {
        assertEquals("{\"line\":1,\"exception\":\"java.lang.IllegalStateException\","
                        + "\"message\":\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001Fj/k\"}\n",
                report(1, new IllegalStateException("a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj/k")));
    }

    @Test
    void nonAsciiTextIsWrittenAsIs() throws IOException {
        // the writer's charset (UTF-8) encodes it; JSON needs no escape for it
        assertEquals("{\"line\":2,\"exception\":\"java.lang.RuntimeException\","
                        + "\"message\":\"ütf-8 ✓ \uD83D\uDE00\"}\n",
                report(2, new RuntimeException("ütf-8 ✓ \uD83D\uDE00")));
    }

    @Test
    void aMissingMessageIsNull() throws IOException {
        assertEquals("{\"line\":3,\"exception\":\"java.lang.IllegalStateException\",\"message\":null}\n",
                report(3, new IllegalStateException()));
    }

    @Test
    void aRemoteFailureIsNamedByItsClassInTheWorker() throws IOException {
        assertEquals("{\"line\":5,\"exception\":\"com.example.Gone\",\"message\":\"com.example.Gone: boom\"}\n",
                report(5, new RemoteException("com.example.Gone", "boom", null)));
    }

    @Test
    void aLongMessageIsStillOneWrite() throws IOException {
        // longer than the generator's buffer, as a crashed worker's stderr tail can be
        String message = "0123456789".repeat(10_000);
        assertEquals("{\"line\":6,\"exception\":\"java.lang.RuntimeException\",\"message\":\"" + message + "\"}\n",
                report(6, new RuntimeException(message)));
    }
}
