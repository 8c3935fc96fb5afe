package dev.procpool.internal;

import dev.procpool.RemoteException;
import dev.procpool.protocol.Rebuild;
import dev.procpool.protocol.RemoteThrowable;

/** A child's exception in this JVM: its own class when it can be rebuilt here, else a RemoteException. */
final class Throwables {
    private Throwables() {
    }

    static Throwable rebuild(RemoteThrowable remote, ClassLoader loader) {
        return Rebuild.of(remote, loader, RemoteException::new);
    }
}
