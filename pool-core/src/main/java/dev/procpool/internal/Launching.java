package dev.procpool.internal;

import dev.procpool.SerializationException;
import dev.procpool.objects.Transit;
import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Wire;
import dev.procpool.protocol.WireException;
import dev.procpool.worker.CurrentProcess;

/** What starting children (a pool's workers, a JvmProcess) checks and prepares in the caller's thread. */
public final class Launching {
    private Launching() {
    }

    /** Python's rule: a daemon process has no children. */
    public static void refuseInDaemon(String what) {
        if (CurrentProcess.isDaemon()) {
            throw new IllegalStateException("a daemon JvmProcess (" + CurrentProcess.name() + ") may not start "
                    + what);
        }
    }

    /** The code a child runs (an initializer, a target), serialized now, with the shared objects it refers to. */
    public static Transit.Serialized code(ClassLoader loader, Object code, String what) {
        if (code == null) {
            return new Transit.Serialized(null, new long[0]);
        }
        try {
            return Transit.serialize(new Codec(loader, Wire.DEFAULT_MAX_FRAME_BYTES), code);
        } catch (WireException e) {
            throw new SerializationException(what + " " + e.getMessage(), e);
        }
    }
}
