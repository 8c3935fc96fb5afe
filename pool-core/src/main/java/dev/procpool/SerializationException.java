package dev.procpool;

/** An input, task, initializer or result could not be serialized or deserialized; the message names the class. */
public final class SerializationException extends RuntimeException {
    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
