package dev.procpool.worker;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.Frame;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Uplink;
import dev.procpool.protocol.Values;
import dev.procpool.protocol.WireException;
import java.io.IOException;

/**
 * A single child JVM (a JvmProcess) runs its target on {@code main}, as Python's Process runs {@code run()}: when it
 * returns, the JVM ends once its non-daemon threads have (exit code 0); when it throws, the failure goes to the
 * parent, the launcher prints it on stderr, and the exit code is 1. A reader thread serves the parent's replies and
 * ends the JVM at once when the parent is gone.
 */
final class TargetRunner {
    private TargetRunner() {
    }

    static void run(Message.Init init, FrameReader reader, Uplink uplink, Codec codec) throws Exception {
        Thread readerThread = new Thread(() -> read(reader, uplink), "procpool-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        uplink.signal(Message.Signal.READY, 0);
        ProcessTarget target;
        try {
            target = (ProcessTarget) codec.fromBytes(init.code());
        } catch (WireException | ClassCastException e) {
            throw failed(new IllegalStateException("cannot deserialize the process's target: " + e.getMessage(), e),
                    uplink, codec);
        }
        try {
            target.run();
        } catch (Throwable t) {
            throw failed(t, uplink, codec);
        }
    }

    /** Tells the parent what the target threw, and gives it back to be thrown out of main. */
    private static Exception failed(Throwable t, Uplink uplink, Codec codec) throws IOException {
        Message.ItemFailure failure = new Message.ItemFailure(RemoteThrowable.of(t), null);
        uplink.send(new Message.Result(Values.of(new Object[1]), new Message.ItemFailure[] {failure}, false), 0, codec);
        if (t instanceof Error error) {
            throw error;
        }
        return t instanceof Exception e ? e : new RuntimeException(t);
    }

    private static void read(FrameReader reader, Uplink uplink) {
        try {
            for (Frame frame = reader.read(); frame != null; frame = reader.read()) {
                if (frame.type() == dev.procpool.protocol.FrameType.REPLY) {
                    uplink.calls().arrived(frame);
                }
            }
        } catch (IOException e) {
            if (!ExitControl.exiting()) {
                System.err.println("procpool: cannot read from the parent JVM: " + e);
            }
        }
        if (ExitControl.exiting()) {
            return; // this JVM is ending (System.exit, the target's end): its exit code stands
        }
        uplink.calls().close("the parent JVM is gone");
        ExitControl.halt(0); // no orphan: a child never outlives its parent
    }
}
