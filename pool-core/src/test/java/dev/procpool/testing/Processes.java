package dev.procpool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Facts about processes, read from /proc, for tests of reaping and leaks. */
public final class Processes {
    private Processes() {
    }

    /** Children of this JVM that are zombies (state Z): exited but not waited for. */
    public static List<Long> zombieChildren() throws IOException {
        long self = ProcessHandle.current().pid();
        List<Long> zombies = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (stat(pid).map(stat -> stat.state() == 'Z' && stat.parent() == self).orElse(false)) {
                    zombies.add(pid);
                }
            }
        }
        return zombies;
    }

    /** The state, parent, process group and session of a process, from /proc/pid/stat. */
    public record Stat(char state, long parent, long group, long session) {
    }

    /** Empty when the process is gone or cannot be read. */
    public static Optional<Stat> stat(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException | SecurityException gone) {
            return Optional.empty();
        }
        // pid (comm) state ppid pgrp session ...; comm may contain spaces, so parse after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                Long.parseLong(fields[3])));
    }

    /** The working directory of a process, empty when it is gone or not ours to read. */
    public static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    public static int openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        }
    }

    /** Live child processes of this JVM that are procpool workers. */
    public static List<ProcessHandle> workerChildren() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("dev.procpool.worker.WorkerMain"))
                        .orElse(false))
                .toList();
    }

    /** Waits until the process has exited; fails the test when it has not within the timeout. */
    public static void awaitExit(long pid, Duration timeout) throws InterruptedException {
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle == null) {
            return;
        }
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        } catch (TimeoutException e) {
            throw new AssertionError("process " + pid + " still alive after " + timeout);
        }
    }

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
