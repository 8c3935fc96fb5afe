package dev.procpool.protocol;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A throwable as data: class name, message, stack trace, cause chain and suppressed exceptions. Throwables never go
 * through Kryo's field serializer (JDK 17 forbids reflective access to their private fields and stack traces get
 * lost); this record is written field by field and the supervisor rebuilds the real class from it when it can.
 */
public record RemoteThrowable(String className, String message, StackTraceElement[] stackTrace,
                              RemoteThrowable cause, RemoteThrowable[] suppressed) {
    private static final int MAX_DEPTH = 64;

    public static RemoteThrowable of(Throwable t) {
        return of(t, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
    }

    /**
     * Reads what it can: a user exception may override getMessage, getCause, getSuppressed or getStackTrace with
     * code that throws or recurses forever (a getMessage that calls toString); what cannot be read is described.
     */
    private static RemoteThrowable of(Throwable t, Set<Throwable> seen, int depth) {
        if (t == null || depth > MAX_DEPTH || !seen.add(t)) {
            return null; // cause cycles end here
        }
        String message;
        try {
            message = t.getMessage();
        } catch (Throwable e) {
            message = "<getMessage() threw " + e.getClass().getName() + ">";
        }
        StackTraceElement[] trace;
        try {
            trace = t.getStackTrace().clone();
        } catch (Throwable e) {
            trace = new StackTraceElement[0];
        }
        Throwable[] suppressedHere;
        try {
            suppressedHere = t.getSuppressed();
        } catch (Throwable e) {
            suppressedHere = new Throwable[0];
        }
        RemoteThrowable[] suppressed = new RemoteThrowable[suppressedHere.length];
        for (int i = 0; i < suppressedHere.length; i++) {
            suppressed[i] = of(suppressedHere[i], seen, depth + 1);
        }
        Throwable cause;
        try {
            cause = t.getCause();
        } catch (Throwable e) {
            cause = null;
        }
        return new RemoteThrowable(t.getClass().getName(), message, trace, of(cause, seen, depth + 1), suppressed);
    }

    public void write(Output out) {
        out.writeString(className);
        out.writeString(message);
        out.writeVarInt(stackTrace.length, true);
        for (StackTraceElement e : stackTrace) {
            out.writeString(e.getClassLoaderName());
            out.writeString(e.getModuleName());
            out.writeString(e.getModuleVersion());
            out.writeString(e.getClassName());
            out.writeString(e.getMethodName());
            out.writeString(e.getFileName());
            out.writeVarInt(e.getLineNumber(), false);
        }
        out.writeBoolean(cause != null);
        if (cause != null) {
            cause.write(out);
        }
        int suppressedCount = 0;
        for (RemoteThrowable s : suppressed) {
            suppressedCount += s == null ? 0 : 1;
        }
        out.writeVarInt(suppressedCount, true);
        for (RemoteThrowable s : suppressed) {
            if (s != null) {
                s.write(out);
            }
        }
    }

    public static RemoteThrowable read(Input in) {
        String className = in.readString();
        String message = in.readString();
        StackTraceElement[] trace = new StackTraceElement[in.readVarInt(true)];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = new StackTraceElement(in.readString(), in.readString(), in.readString(), in.readString(),
                    in.readString(), in.readString(), in.readVarInt(false));
        }
        RemoteThrowable cause = in.readBoolean() ? read(in) : null;
        RemoteThrowable[] suppressed = new RemoteThrowable[in.readVarInt(true)];
        for (int i = 0; i < suppressed.length; i++) {
            suppressed[i] = read(in);
        }
        return new RemoteThrowable(className, message, trace, cause, suppressed);
    }

    /** As Throwable.toString() would print it. */
    @Override
    public String toString() {
        return message == null ? className : className + ": " + message;
    }
}
