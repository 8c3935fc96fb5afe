package dev.procpool.internal;

import dev.procpool.internal.classpath.BootClasspath;
import dev.procpool.internal.classpath.NameHash;
import dev.procpool.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line of a worker JVM. Worker start-up dominates the cost of recycling, so when the classpath is made of
 * jars (the JVM archives nothing from directories) the first worker records the classes it loads in an AppCDS
 * archive as it exits, and later workers, of this pool and of later runs of the same program with the same JDK,
 * options and jars, map that archive instead of loading and verifying those classes again. The cache directory keeps
 * the {@value #KEPT_ARCHIVES} archives used last.
 */
public final class WorkerCommand {
    private static final LazyLogger LOG = new LazyLogger(WorkerCommand.class);
    /**
     * The JVM's own output (logging, diagnostics such as PrintFlagsFinal) would land on fd 1, which carries the
     * protocol: it goes to stderr, logging at warning level only. SerialGC: a worker is one task thread, and a
     * small, quick-to-start collector suits it.
     */
    private static final List<String> DEFAULT_OPTIONS = List.of("-Xlog:disable", "-Xlog:all=warning:stderr",
            "-XX:+DisplayVMOutputToStderr", "-XX:+UseSerialGC", "-XX:-UsePerfData");

    private final List<String> launcher;
    private final String java;
    private final List<String> options;
    private final String classpath;
    private final Path archive; // null when class data sharing is off or impossible
    private static final AtomicLong RECORDINGS = new AtomicLong();
    /** Set once a worker records the archive: one recording per pool, even if it fails. */
    private final AtomicBoolean recordingClaimed = new AtomicBoolean();

    /** One worker's command line; {@code recordsArchive} when this worker writes the archive at its exit. */
    record Launch(List<String> arguments, Path recordsArchive) {
    }

    /**
     * Moves the protocol pipes to fds 3 and 4 and gives the JVM /dev/null as stdin and stderr as stdout, so that
     * nothing a task does to its standard streams can reach the protocol (see the worker's ProtocolStreams).
     */
    private static final String[] MOVE_PIPES = {"/bin/sh", "-c", "exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>&2"};
    private static final boolean CAN_MOVE_PIPES = Files.isExecutable(Path.of(MOVE_PIPES[0]))
            && Files.isDirectory(Path.of("/proc/self/fd"));

    private final boolean ownProcessGroup;

    public WorkerCommand(Path java, List<String> jvmArgs, String classpath, boolean classDataSharing) {
        this.launcher = new ArrayList<>(List.of(ProcessGroups.launcherPrefix()));
        this.ownProcessGroup = !launcher.isEmpty();
        if (CAN_MOVE_PIPES) {
            launcher.addAll(List.of(MOVE_PIPES));
        }
        launcher.add(java.toString());
        this.java = java.toString();
        this.options = new ArrayList<>(DEFAULT_OPTIONS);
        options.addAll(jvmArgs); // after the defaults, so that they win
        this.classpath = classpath;
        this.archive = classDataSharing ? archiveFor(java, jvmArgs, classpath, program()) : null;
        if (archive != null && Files.isRegularFile(archive)) {
            markUsed(archive); // the cache keeps the archives used last
        }
    }

    boolean ownProcessGroup() {
        return ownProcessGroup;
    }

    Launch next() {
        BootClasspath.markUsed(); // the jar cache keeps what workers still start from
        List<String> arguments = new ArrayList<>(launcher);
        arguments.addAll(options);
        Path recording = null;
        if (archive != null) {
            if (Files.isRegularFile(archive)) {
                arguments.add("-XX:SharedArchiveFile=" + archive);
            } else if (recordingClaimed.compareAndSet(false, true)) {
                recording = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid()
                        + "-" + RECORDINGS.incrementAndGet() + ".tmp");
                arguments.add("-XX:ArchiveClassesAtExit=" + recording);
                arguments.add("-Xlog:cds*=off:stderr"); // it lists every class it cannot archive: noise
            }
        }
        arguments.add("-cp");
        arguments.add(classpath);
        arguments.add(WorkerMain.class.getName());
        arguments.add(CAN_MOVE_PIPES ? "fds" : "stdio");
        return new Launch(arguments, recording);
    }

    /**
     * The command line of a worker started on another machine (a Slurm job step): without the local wrappers
     * (setsid, the pipe move) and without the class data sharing archive, which lives in this machine's temp
     * directory; {@code workerArgs} say where its protocol runs.
     */
    public List<String> remote(String... workerArgs) {
        BootClasspath.markUsed(); // a node sharing this file system starts from the same jars
        List<String> arguments = new ArrayList<>();
        arguments.add(java);
        arguments.addAll(options);
        arguments.add("-cp");
        arguments.add(classpath);
        arguments.add(WorkerMain.class.getName());
        arguments.addAll(List.of(workerArgs));
        return arguments;
    }

    /** Archives the cache directory keeps, the ones used last (2-3 MB each): every build of a jar makes a new one. */
    static final int KEPT_ARCHIVES = 64;
    private static final long STALE_RECORDING_MILLIS = 3_600_000;

    /**
     * Deletes all but the {@code keep} archives in {@code cache} used last (a running JVM keeps its mapping), and
     * recordings left by a supervisor that died: a JVM writes its recording at exit, in seconds.
     */
    static void prune(Path cache, int keep) {
        try (Stream<Path> files = Files.list(cache)) {
            Map<Path, Long> lastUsed = files.collect(Collectors.toMap(f -> f, WorkerCommand::lastUsed));
            List<Path> archives = lastUsed.keySet().stream().filter(f -> f.getFileName().toString().endsWith(".jsa"))
                    .sorted(Comparator.comparing(lastUsed::get).reversed()).toList();
            long staleRecording = System.currentTimeMillis() - STALE_RECORDING_MILLIS;
            for (Path old : archives.subList(Math.min(keep, archives.size()), archives.size())) {
                Files.deleteIfExists(old);
            }
            for (Path file : lastUsed.keySet()) {
                if (file.getFileName().toString().endsWith(".tmp") && lastUsed.get(file) < staleRecording) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.get().debug("cannot prune the class data sharing archives in {}", cache, e);
        }
    }

    private static void markUsed(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            LOG.get().debug("cannot mark {} as used", archive, e);
        }
    }

    private static long lastUsed(Path archive) {
        try {
            return Files.getLastModifiedTime(archive).toMillis();
        } catch (IOException e) {
            return 0; // gone already, or unreadable: first to go
        }
    }

    /** The program this JVM runs: its main class, or its jar with -jar; empty where the JVM does not say. */
    static String program() {
        String command = System.getProperty("sun.java.command", "");
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }

    /** The worker that recorded the archive has exited: publish the archive if it exited cleanly. */
    void exited(Launch launch, int exitCode) {
        Path recorded = launch.recordsArchive();
        if (recorded == null) {
            return;
        }
        try {
            if (exitCode == 0 && Files.isRegularFile(recorded) && Files.size(recorded) > 0) {
                Files.move(recorded, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                LOG.get().debug("class data sharing archive {} written", archive);
                prune(archive.getParent(), KEPT_ARCHIVES);
                return;
            }
            Files.deleteIfExists(recorded);
        } catch (IOException e) {
            LOG.get().debug("cannot publish class data sharing archive {}", archive, e);
        }
    }

    /**
     * Where the archive for this JDK, these options, this exact classpath and this program lives, or null when the
     * classpath has a directory with content (the JVM refuses to archive those) or no cache directory can be made.
     * The program is in the key because an archive holds the classes its recording worker loaded: those of one
     * program's tasks; another program on the same jars would load its own from the jars at every worker start.
     */
    static Path archiveFor(Path java, List<String> jvmArgs, String classpath, String program) {
        try {
            NameHash digest = new NameHash();
            digest.add(java.toAbsolutePath().toString());
            digest.add(System.getProperty("java.vm.version"));
            digest.add(program);
            jvmArgs.forEach(digest::add);
            for (String entry : classpath.split(File.pathSeparator)) {
                Path path = Path.of(entry).toAbsolutePath();
                if (Files.isDirectory(path)) {
                    try (var content = Files.list(path)) {
                        if (content.findAny().isPresent()) {
                            return null;
                        }
                    }
                }
                digest.add(path.toString());
                if (Files.isRegularFile(path)) {
                    digest.add(Files.size(path) + "/" + Files.getLastModifiedTime(path).toMillis());
                }
            }
            Path cache = Path.of(System.getProperty("java.io.tmpdir"),
                    "procpool-cds-" + System.getProperty("user.name"));
            Files.createDirectories(cache);
            return cache.resolve(digest.hex() + ".jsa");
        } catch (IOException | RuntimeException e) {
            LOG.get().debug("class data sharing is off: {}", e.toString());
            return null;
        }
    }
}
