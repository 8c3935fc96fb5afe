package dev.procpool.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.procpool.RemoteException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;

/**
 * Failed items as JSON Lines, one object per item: {@code {"line":4,"exception":"java.lang.NumberFormatException",
 * "message":"For input string: \"ten\""}}. "line" is the 1-based input line; "exception" the class of the failure in
 * the worker (for a class this JVM cannot load, its name as the worker reported it); "message" may be null.
 */
final class ErrorLog {
    /** Thread-safe, and it keeps the buffers its generators recycle: one for the process. */
    private static final JsonFactory JSON = new JsonFactory();

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
        // The line is built apart and written at once, so that the progress bar drawn on the same stream cannot tear
        // it: a generator on `out` would flush its buffer whenever it fills, and a message can be a long stderr tail.
        StringWriter json = new StringWriter().append(linePrefix);
        try (JsonGenerator generator = JSON.createGenerator(json)) {
            generator.writeStartObject();
            generator.writeNumberField("line", line);
            generator.writeStringField("exception", type);
            generator.writeStringField("message", failure.getMessage()); // null is written as null
            generator.writeEndObject();
        }
        out.write(json.append('\n').toString());
        out.flush(); // failures are rare and someone may be watching the file
    }
}
