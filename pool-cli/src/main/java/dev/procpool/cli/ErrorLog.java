package dev.procpool.cli;

import dev.procpool.RemoteException;
import java.io.IOException;
import java.io.Writer;

/**
 * Failed items as JSON Lines, one object per item: {@code {"line":4,"exception":"java.lang.NumberFormatException",
 * "message":"For input string: \"ten\""}}. "line" is the 1-based input line; "exception" the class of the failure in
 * the worker (for a class this JVM cannot load, its name as the worker reported it); "message" may be null.
 */
final class ErrorLog {
    private final Writer out;
    private final String linePrefix;

    /** @param linePrefix written before each line, e.g. to clear a progress bar drawn on the same terminal */
    ErrorLog(Writer out, String linePrefix) {
        this.out = out;
        this.linePrefix = linePrefix;
    }

    void report(long line, Throwable failure) throws IOException {
        String type = failure instanceof RemoteException remote ? remote.remoteClassName()
                : failure.getClass().getName();
        // one write, so that a line is not torn by the progress bar drawn on the same stream
        out.write(linePrefix + "{\"line\":" + line + ",\"exception\":" + quote(type) + ",\"message\":"
                + quote(failure.getMessage()) + "}\n");
        out.flush(); // failures are rare and someone may be watching the file
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
