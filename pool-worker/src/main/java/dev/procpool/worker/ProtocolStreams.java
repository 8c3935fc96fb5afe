package dev.procpool.worker;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/**
 * Where this child speaks the protocol. Launched by the local launcher, its parent's pipes arrive on fds 3 and 4 and
 * its standard streams are /dev/null (stdin) and stderr (stdout): nothing a task does to System.in, System.out, fd 0
 * or fd 1 (a read, a native printf) can touch the protocol, and a read of stdin ends at once. Started without that
 * wrapper, it speaks on fds 0 and 1, which it takes before anything can print.
 *
 * <p>The input is read through a FileChannel, which a close wakes from a blocked read: at exit
 * ({@link ExitControl}) nothing must stay blocked in native code, or the JVM waits 300 ms for it before it ends
 * (HotSpot's VM_Exit waits for threads in native), which each worker exit and so every pool close would pay.
 */
record ProtocolStreams(InputStream in, OutputStream out) {
    static final String ON_FDS_3_AND_4 = "fds";

    static ProtocolStreams open(String mode) throws IOException {
        ProtocolStreams streams;
        if (ON_FDS_3_AND_4.equals(mode)) {
            streams = new ProtocolStreams(closableAtExit(new FileInputStream("/proc/self/fd/3")),
                    new FileOutputStream("/proc/self/fd/4"));
        } else {
            streams = new ProtocolStreams(closableAtExit(new FileInputStream(FileDescriptor.in)),
                    new FileOutputStream(FileDescriptor.out));
        }
        System.setOut(System.err);
        System.setIn(InputStream.nullInputStream());
        return streams;
    }

    private static InputStream closableAtExit(FileInputStream in) {
        FileChannel channel = in.getChannel();
        ExitControl.closeAtExit(channel);
        return Channels.newInputStream(channel);
    }
}
