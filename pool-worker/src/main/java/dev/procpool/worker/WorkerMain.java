package dev.procpool.worker;

import dev.procpool.classes.UserClassLoader;
import dev.procpool.objects.Self;
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
import java.io.IOException;

/**
 * The main class of a child JVM: the handshake (HELLO, INIT), then, for a pool worker, {@link Serving} runs the
 * initializer and READY and serves tasks until END, a retirement, or the end of input; for a single process,
 * {@link TargetRunner} runs its target. Started by the supervisor, never by users; its arguments say where the
 * protocol is: {@code fds}, {@code connect host:port}, or stdio (see {@link ProtocolStreams}).
 *
 * <p>The JVM's classpath holds procpool's own jars only; user classes load through a {@link UserClassLoader} over
 * the classpath that INIT carries, which asks the supervisor for what it lacks.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        ProtocolStreams streams = ProtocolStreams.open(args);
        ExitControl.install();
        FrameWriter writer = new FrameWriter(streams.out());
        FrameReader reader = new FrameReader(streams.in(), Wire.DEFAULT_MAX_FRAME_BYTES);
        Codec codec = new Codec(WorkerMain.class.getClassLoader(), Wire.DEFAULT_MAX_FRAME_BYTES);
        codec.begin();
        new Message.Hello(Wire.PROTOCOL_VERSION, ProcessHandle.current().pid()).write(codec);
        writer.write(FrameType.HELLO, 0, codec.buffer(), codec.length());
        writer.flush();
        codec.prepare(); // while the supervisor answers HELLO

        Frame first = reader.read();
        if (first == null || first.type() != FrameType.INIT) {
            System.err.println("procpool worker: expected INIT, got " + (first == null ? "end of input" : first.type()));
            ExitControl.exit(2);
        }
        Message.Init init = (Message.Init) Message.read(first, codec);
        ClassLoader loader = UserClassLoader.of(init.userClasspath(), WorkerMain.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader); // threads made from here on inherit it
        codec.classLoader(loader);
        codec.maxFrameBytes(init.maxFrameBytes());
        ExitControl.gracePeriod(init.exitGraceMillis());
        Uplink uplink = new Uplink(writer, new CodecPool(loader, init.maxFrameBytes()));
        Uplink.install(uplink);
        CurrentProcess.install(init.name(), init.parentPid(), init.daemon());
        Self.child(init.token());
        if (init.role() == Message.Init.PROCESS) {
            TargetRunner.run(init, reader, uplink, codec); // its reader runs before the target is read
            return;
        }
        WorkerContext context = WorkerContext.install(init.slot());
        Serving serving = new Serving(reader, uplink, new ChunkRunner(context, init.maxMemoryBytes()), loader,
                init.maxFrameBytes());
        // The initializer runs once the other serving thread reads: a class it needs from the supervisor comes
        // back as a REPLY, which only a reading thread can hand to it.
        serving.serveOnTwoThreads(codec, () -> initialize(init, uplink, codec),
                () -> Heartbeat.beat(uplink, init.heartbeatMillis()));
    }

    private static void initialize(Message.Init init, Uplink uplink, Codec codec) {
        try {
            if (init.code() != null) {
                try {
                    ((Initializer) codec.fromBytes(init.code())).run();
                } catch (Throwable t) {
                    uplink.send(new Message.InitFailed(RemoteThrowable.of(t)), 0, codec);
                    ExitControl.exit(1);
                }
            }
            uplink.signal(Message.Signal.READY, 0);
        } catch (IOException e) {
            System.err.println("procpool worker: cannot reach the supervisor: " + e);
            ExitControl.exit(0);
        }
    }
}
