package dev.procpool.protocol;

import java.lang.reflect.Constructor;
import java.util.Objects;

/**
 * Rebuilds an exception of another JVM: the same class, message, cause chain, suppressed and stack trace when this
 * JVM can make one, else whatever the fallback makes of it (the supervisor's RemoteException).
 */
public final class Rebuild {
    /** Makes an exception for a class this JVM cannot rebuild. */
    @FunctionalInterface
    public interface Fallback {
        Throwable make(String className, String message, Throwable cause);
    }

    /** In a child: an IllegalStateException that names the remote class. */
    public static final Fallback PLAIN = (className, message, cause) ->
            new IllegalStateException(message == null ? className : className + ": " + message, cause);

    private Rebuild() {
    }

    public static Throwable of(RemoteThrowable remote, ClassLoader loader, Fallback fallback) {
        Throwable cause = remote.cause() == null ? null : of(remote.cause(), loader, fallback);
        Throwable rebuilt = sameClass(remote, cause, loader);
        if (rebuilt == null) {
            rebuilt = fallback.make(remote.className(), remote.message(), cause);
        }
        rebuilt.setStackTrace(remote.stackTrace());
        for (RemoteThrowable suppressed : remote.suppressed()) {
            rebuilt.addSuppressed(of(suppressed, loader, fallback));
        }
        return rebuilt;
    }

    /** An instance of the remote class with the same message and cause, or null when that cannot be made. */
    private static Throwable sameClass(RemoteThrowable remote, Throwable cause, ClassLoader loader) {
        try {
            Class<?> type = Class.forName(remote.className(), false, loader);
            if (!Throwable.class.isAssignableFrom(type)) {
                return null;
            }
            String message = remote.message();
            Throwable made = construct(type, new Class<?>[] {String.class, Throwable.class}, message, cause);
            if (made == null) {
                made = construct(type, new Class<?>[] {String.class}, message);
            }
            if (made == null && message == null) {
                made = construct(type, new Class<?>[0]);
            }
            if (made == null && cause != null && message != null && message.equals(cause.toString())) {
                made = construct(type, new Class<?>[] {Throwable.class}, cause);
            }
            if (made == null || !Objects.equals(made.getMessage(), message)) {
                return null;
            }
            if (made.getCause() != cause && cause != null) {
                made.initCause(cause);
            }
            return made.getCause() == cause ? made : null;
        } catch (Throwable e) { // its constructor or getMessage() may throw anything, or recurse forever
            return null; // not rebuildable here: the caller falls back to RemoteException
        }
    }

    private static Throwable construct(Class<?> type, Class<?>[] parameters, Object... arguments)
            throws ReflectiveOperationException {
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
        if (!constructor.trySetAccessible()) {
            return null;
        }
        return (Throwable) constructor.newInstance(arguments);
    }
}
