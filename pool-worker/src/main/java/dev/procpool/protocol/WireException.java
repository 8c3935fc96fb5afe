package dev.procpool.protocol;

/** An object could not be serialized or deserialized; the message names its class. */
public final class WireException extends Exception {
    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
