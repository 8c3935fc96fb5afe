package dev.procpool.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Workers are started as leaders of their own process group (with setsid, where the system has it), so that what a
 * task started is found even after the worker died abruptly and its children were re-parented: they keep the
 * group id. Linux only: elsewhere these calls find nothing to do.
 */
final class ProcessGroups {
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path PROC = Path.of("/proc");

    private ProcessGroups() {
    }

    /** The command prefix that starts a program in a new session and process group, or none. */
    static String[] launcherPrefix() {
        return Files.isExecutable(SETSID) && Files.isDirectory(PROC)
                ? new String[] {SETSID.toString(), "--wait"} : new String[0];
    }

    /** Kills every process still in the group (the leader is already gone). */
    static void killGroup(long groupId) {
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .filter(pid -> groupOf(pid) == groupId)
                    .forEach(pid -> ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly));
        } catch (IOException e) {
            // no /proc: nothing can be found this way
        }
    }

    private static long groupOf(String pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid).resolve("stat"));
            // "pid (comm) state ppid pgrp ...": comm may hold spaces, so count from the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException e) {
            return -1; // the process is gone, or not readable
        }
    }
}
