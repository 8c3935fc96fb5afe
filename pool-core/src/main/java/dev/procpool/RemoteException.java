package dev.procpool;

/**
 * A task's exception whose class cannot be rebuilt in the supervisor (not on its classpath, or no usable
 * constructor). It carries the remote class name, message, stack trace and cause chain.
 */
public final class RemoteException extends RuntimeException {
    private final String remoteClassName;

    public RemoteException(String remoteClassName, String message, Throwable cause) {
        super(message == null ? remoteClassName : remoteClassName + ": " + message, cause);
        this.remoteClassName = remoteClassName;
    }

    public String remoteClassName() {
        return remoteClassName;
    }
}
