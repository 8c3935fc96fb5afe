package dev.procpool.worker;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Where this child speaks the protocol. Launched by the local launcher, its parent's pipes arrive on fds 3 and 4 and
 * its standard streams are /dev/null (stdin) and stderr (stdout): nothing a task does to System.in, System.out, fd 0
 * or fd 1 (a read, a native printf) can touch the protocol, and a read of stdin ends at once. Started as a Slurm job
 * step ({@code connect host:port}), it connects back to the supervisor over TCP: srun relays stdio in 1 KiB messages
 * and stalls on larger frames, so srun only starts and stops it. Started without either, it speaks on fds 0 and 1,
 * which it takes before anything can print.
 *
 * <p>At exit no thread may stay blocked in a read, or the JVM waits 300 ms for it before it ends (HotSpot's VM_Exit
 * waits for threads in native code), which each worker exit and so every pool close would pay: the parent ends this
 * JVM's input when this JVM says GOODBYE (see {@link ExitControl}), and the blocked read returns.
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
            streams = new ProtocolStreams(new PipeInput(new FileInputStream("/proc/self/fd/3")),
                    new FileOutputStream("/proc/self/fd/4"));
        } else if (CONNECT_BACK.equals(mode) && args.length > 1) {
            streams = connect(args[1], System.getenv(TOKEN_VARIABLE));
        } else {
            streams = new ProtocolStreams(new PipeInput(new FileInputStream(FileDescriptor.in)),
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

    /**
     * Reads of at most a pipe's capacity: for a longer read FileInputStream allocates a native buffer of the
     * length asked for (a whole frame, up to its limit), where a pipe returns 64 KiB at most.
     */
    private static final class PipeInput extends FilterInputStream {
        private static final int MAX_READ_BYTES = 64 * 1024;

        PipeInput(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            return in.read(bytes, offset, Math.min(length, MAX_READ_BYTES));
        }
    }
}
