package dev.procpool.worker;

import dev.procpool.protocol.Codec;
import dev.procpool.protocol.CodecPool;
import dev.procpool.protocol.Frame;
import dev.procpool.protocol.FrameReader;
import dev.procpool.protocol.FrameType;
import dev.procpool.protocol.FrameWriter;
import dev.procpool.protocol.Message;
import dev.procpool.protocol.RemoteThrowable;
import dev.procpool.protocol.Uplink;
import dev.procpool.protocol.Wire;
import dev.procpool.objects.Self;

/**
 * The main class of a worker JVM: the handshake (HELLO, INIT, the initializer, READY), then {@link Serving} runs
 * tasks until END, a retirement, or the end of input. Started by the supervisor, never by users; its arguments say
 * where the protocol is: {@code fds}, {@code connect host:port}, or stdio (see {@link ProtocolStreams}).
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        ProtocolStreams streams = ProtocolStreams.open(args);
        ExitControl.install();
        FrameWriter writer = new FrameWriter(streams.out());
        FrameReader reader = new FrameReader(streams.in(), Wire.DEFAULT_MAX_FRAME_BYTES);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Codec codec = new Codec(loader, Wire.DEFAULT_MAX_FRAME_BYTES);
        codec.begin();
        new Message.Hello(Wire.PROTOCOL_VERSION, ProcessHandle.current().pid()).write(codec);
        writer.write(FrameType.HELLO, 0, codec.buffer(), codec.length());
        writer.flush();

        Frame first = reader.read();
        if (first == null || first.type() != FrameType.INIT) {
            System.err.println("procpool worker: expected INIT, got " + (first == null ? "end of input" : first.type()));
            ExitControl.exit(2);
        }
        Message.Init init = (Message.Init) Message.read(first, codec);
        codec.maxFrameBytes(init.maxFrameBytes());
        ExitControl.gracePeriod(init.exitGraceMillis());
        Uplink uplink = new Uplink(writer, new CodecPool(loader, init.maxFrameBytes()));
        Uplink.install(uplink);
        CurrentProcess.install(init.name(), init.parentPid(), init.daemon());
        Self.child(init.token());
        if (init.role() == Message.Init.PROCESS) {
            TargetRunner.run(init, reader, uplink, codec);
            return;
        }
        WorkerContext context = WorkerContext.install(init.slot());
        Heartbeat.start(uplink, init.heartbeatMillis());
        if (init.code() != null) {
            try {
                ((Initializer) codec.fromBytes(init.code())).run();
            } catch (Throwable t) {
                uplink.send(new Message.InitFailed(RemoteThrowable.of(t)), 0, codec);
                ExitControl.exit(1);
            }
        }
        uplink.signal(Message.Signal.READY, 0);
        new Serving(reader, uplink, new ChunkRunner(context, init.maxMemoryBytes()), loader, init.maxFrameBytes())
                .serveOnTwoThreads(codec);
    }
}
