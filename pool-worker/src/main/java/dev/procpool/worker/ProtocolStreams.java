package dev.procpool.worker;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Where this child speaks the protocol. Launched by the local launcher, its parent's pipes arrive on fds 3 and 4 and
 * its standard streams are /dev/null (stdin) and stderr (stdout): nothing a task does to System.in, System.out, fd 0
 * or fd 1 (a read, a native printf) can touch the protocol, and a read of stdin ends at once. Started as a Slurm job
 * step ({@code connect host:port}), it connects back to the supervisor over TCP: srun relays stdio in 1 KiB messages
 * and stalls on larger frames, so srun only starts and stops it. Started without either, it speaks on fds 0 and 1,
 * which it takes before anything can print.
 *
 * <p>The input from fds 3 or 0 is read through a FileChannel, which a close wakes from a blocked read: at exit
 * ({@link ExitControl}) nothing must stay blocked in native code, or the JVM waits 300 ms for it before it ends
 * (HotSpot's VM_Exit waits for threads in native), which each worker exit and so every pool close would pay.
 */
record ProtocolStreams(InputStream in, OutputStream out) {
    static final String ON_FDS_3_AND_4 = "fds";
    static final String CONNECT_BACK = "connect";
    /**
     * The one-time token of a connect-back worker is in its environment, not on its command line: any user of a
     * node can read command lines (ps), only the owner can read a process's environment.
     */
    static final String TOKEN_VARIABLE = "PROCPOOL_CONNECT_TOKEN";
    private static final int CONNECT_TIMEOUT_MILLIS = 30_000;

    static ProtocolStreams open(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "";
        ProtocolStreams streams;
        if (ON_FDS_3_AND_4.equals(mode)) {
            streams = new ProtocolStreams(closableAtExit(new FileInputStream("/proc/self/fd/3")),
                    new FileOutputStream("/proc/self/fd/4"));
        } else if (CONNECT_BACK.equals(mode) && args.length > 1) {
            streams = connect(args[1], System.getenv(TOKEN_VARIABLE));
        } else {
            streams = new ProtocolStreams(closableAtExit(new FileInputStream(FileDescriptor.in)),
                    new FileOutputStream(FileDescriptor.out));
        }
        System.setOut(System.err);
        System.setIn(InputStream.nullInputStream());
        return streams;
    }

    /**
     * Connects to the supervisor and presents the token as its first line, then the job step it runs in (so that
     * the supervisor can cancel exactly this step). The end of this connection is the supervisor's end, as the end
     * of stdin is for a local worker.
     */
    private static ProtocolStreams connect(String hostPort, String token) throws IOException {
        if (token == null || token.isEmpty()) {
            throw new IOException("connect-back mode needs the token in $" + TOKEN_VARIABLE);
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IOException("connect-back address must be host:port, was " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal
        }
        Socket socket = new Socket();
        socket.setTcpNoDelay(true); // frames are flushed whole; Nagle would hold the last segment of each
        socket.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))),
                CONNECT_TIMEOUT_MILLIS);
        String jobId = System.getenv("SLURM_JOB_ID");
        String stepId = System.getenv("SLURM_STEP_ID");
        String step = jobId != null && stepId != null ? jobId + "." + stepId : "-";
        OutputStream out = socket.getOutputStream();
        out.write((token + " " + step + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new ProtocolStreams(socket.getInputStream(), out);
    }

    private static InputStream closableAtExit(FileInputStream in) {
        FileChannel channel = in.getChannel();
        ExitControl.closeAtExit(channel);
        return new PipeInput(channel);
    }

    /**
     * The channel as a stream. Not Channels.newInputStream: its available() asks a FileChannel for its size and
     * position, which on a pipe fails with "Illegal seek", and BufferedInputStream asks available() between the
     * reads of every frame larger than its buffer. Reads go through one direct buffer of its own: a heap array would
     * go through the JDK's temporary direct buffer of the same size, cached per thread (a 64 MiB frame read whole
     * would keep 64 MiB of native memory for good), and that path is also more code for a fresh JVM to run and
     * compile on every read. One reader at a time: the BufferedInputStream in front of it is synchronized.
     */
    private static final class PipeInput extends InputStream {
        private static final int BUFFER_BYTES = 64 * 1024; // a pipe's capacity
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);

        PipeInput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            buffer.clear().limit(Math.min(length, BUFFER_BYTES));
            int n;
            try {
                n = channel.read(buffer);
            } catch (AsynchronousCloseException e) {
                return -1; // closed at exit: the end of this JVM's input
            }
            if (n > 0) {
                buffer.get(0, bytes, offset, n);
            }
            return n;
        }

        @Override
        public int available() {
            return 0; // unknown on a pipe; 0 is always a correct answer
        }
    }
}
