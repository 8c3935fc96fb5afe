package dev.procpool;

import dev.procpool.internal.ChildJvm;
import dev.procpool.internal.Launching;
import dev.procpool.objects.Transit;
import dev.procpool.worker.ProcessTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Python's {@code multiprocessing.Process}: one child JVM running one {@link ProcessTarget}.
 *
 * <pre>{@code
 * JvmProcess child = JvmProcess.start(() -> System.out.println("hello from " + CurrentProcess.name()));
 * child.join();   // child.exitCode() is now OptionalInt[0]
 * }</pre>
 *
 * <p>A non-daemon child keeps this JVM from exiting until it ends (like a non-daemon thread); a daemon child is
 * terminated when this JVM exits. System.exit or SIGTERM of this JVM terminates every child; a child never
 * outlives a parent that was killed, and every child is reaped. What the target prints goes to this JVM's log
 * (logger {@code dev.procpool.worker.stderr}), an uncaught exception to the child's stderr with exit code 1.
 */
public final class JvmProcess {
    private static final AtomicInteger NUMBERS = new AtomicInteger();
    private static final ConcurrentMap<ChildJvm, JvmProcess> STARTED = new ConcurrentHashMap<>();

    private final ChildJvm jvm;

    private JvmProcess(ChildJvm jvm) {
        this.jvm = jvm;
    }

    /** Starts a child with default options now. */
    public static JvmProcess start(ProcessTarget target) {
        return builder().start(target);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The children started by this JVM that are still alive. */
    public static List<JvmProcess> activeChildren() {
        List<JvmProcess> active = new ArrayList<>();
        STARTED.forEach((jvm, process) -> {
            if (jvm.alive()) {
                active.add(process);
            } else {
                STARTED.remove(jvm);
            }
        });
        return active;
    }

    /** Default "JvmProcess-n", n counting from 1 in this JVM (every JvmProcess takes a number, named or not). */
    public String name() {
        return jvm.name();
    }

    public long pid() {
        return jvm.pid();
    }

    public boolean isDaemon() {
        return jvm.daemon();
    }

    public boolean isAlive() {
        return jvm.alive();
    }

    /** Empty while it runs; 0 the target returned; 1 it threw; n after System.exit(n); 128+s if killed by signal s. */
    public OptionalInt exitCode() {
        int code = jvm.exitCode();
        return code < 0 && jvm.alive() ? OptionalInt.empty() : OptionalInt.of(code);
    }

    /** What the target threw, rebuilt as for pool tasks; empty otherwise, and after terminate() or kill(). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(jvm.failure());
    }

    public void join() throws InterruptedException {
        jvm.awaitExit(Long.MAX_VALUE);
    }

    /** True if it has ended. */
    public boolean join(Duration timeout) throws InterruptedException {
        return jvm.awaitExit(timeout.toNanos());
    }

    /** SIGTERM: its shutdown hooks run; its descendants die too. Exit code 128+15. */
    public void terminate() {
        jvm.terminate();
    }

    /** SIGKILL, with its descendants. Exit code 128+9. */
    public void kill() {
        jvm.kill();
    }

    @Override
    public String toString() {
        return "JvmProcess[" + name() + ", pid " + pid() + (isAlive() ? ", alive" : ", exit code "
                + jvm.exitCode()) + (isDaemon() ? ", daemon" : "") + "]";
    }

    /** Options of a child; {@link #start} starts it. */
    public static final class Builder {
        private String name;
        private boolean daemon;
        private final List<String> jvmArgs = new ArrayList<>();
        private String classpath; // null: as a pool's workers (see the README, "What a worker's classpath is")
        private Path javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java");

        private Builder() {
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Default false. */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        public Builder jvmArgs(String... args) {
            for (String arg : args) {
                jvmArgs.add(Objects.requireNonNull(arg, "jvm argument"));
            }
            return this;
        }

        public Builder classpath(String cp) {
            classpath = Objects.requireNonNull(cp, "classpath");
            return this;
        }

        public Builder javaExecutable(Path java) {
            javaExecutable = Objects.requireNonNull(java, "javaExecutable");
            return this;
        }

        /**
         * Starts the child now and returns once its process exists.
         *
         * @throws IllegalStateException in a daemon JvmProcess, which may not have children (Python's rule)
         * @throws SerializationException when the target cannot be serialized
         */
        public JvmProcess start(ProcessTarget target) {
            Objects.requireNonNull(target, "target");
            Launching.refuseInDaemon("children");
            int number = NUMBERS.incrementAndGet();
            String processName = name != null ? name : "JvmProcess-" + number;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = JvmProcess.class.getClassLoader();
            }
            Transit.Serialized code = Launching.code(loader, target, "target");
            Launching.Classpaths paths = Launching.classpaths(javaExecutable, jvmArgs, classpath, true, loader,
                    target.getClass().getClassLoader());
            ChildJvm jvm = ChildJvm.start(processName, daemon, code.bytes(), code.handles(), paths.command(), loader,
                    paths.classes());
            JvmProcess process = new JvmProcess(jvm);
            STARTED.put(jvm, process);
            return process;
        }
    }
}
