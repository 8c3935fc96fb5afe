package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.LeakAudit;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Workers boot from jars only and share an AppCDS archive that the first pool's first worker records. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ClassDataSharingTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void theFirstWorkerRecordsTheArchiveAndLaterWorkersMapIt(@TempDir Path dir) throws IOException {
        String jarClasspath = asJars(dir);
        String recordingFlag = "-XX:ArchiveClassesAtExit=";
        String sharingFlag = "-XX:SharedArchiveFile=";

        try (ProcessPool first = ProcessPool.builder().workers(1).classpath(jarClasspath).build()) {
            assertEquals(4, (int) first.<Integer, Integer>apply(x -> x * x, 2));
            List<String> arguments = argumentsOf(first.workerPids().get(0));
            assertTrue(arguments.stream().anyMatch(a -> a.startsWith(recordingFlag) || a.startsWith(sharingFlag)),
                    "records or (from an earlier run) maps the archive: " + arguments);
            List<String> workerClasspath = List.of(arguments.get(arguments.indexOf("-cp") + 1)
                    .split(File.pathSeparator));
            assertTrue(workerClasspath.containsAll(List.of(jarClasspath.split(File.pathSeparator))),
                    "a user classpath of jars is on the worker's own, where the archive covers it: " + workerClasspath);
            assertEquals("app", first.apply(x -> ClassDataSharingTest.class.getClassLoader().getName(), 0),
                    "so the JVM's application class loader loads the user's classes");
        }
        try (ProcessPool second = ProcessPool.builder().workers(2).classpath(jarClasspath).build()) {
            assertEquals(List.of(1, 4, 9), second.map(x -> x * x, List.of(1, 2, 3), 1));
            for (long pid : second.workerPids()) {
                String archive = argumentsOf(pid).stream().filter(a -> a.startsWith(sharingFlag)).findFirst()
                        .orElseThrow(() -> new AssertionError("no archive mapped: " + argumentsOf(pid)))
                        .substring(sharingFlag.length());
                assertTrue(Files.size(Path.of(archive)) > 0, archive);
            }
        }
        try (ProcessPool off = ProcessPool.builder().workers(1).classpath(jarClasspath).classDataSharing(false)
                .build()) {
            List<String> arguments = argumentsOf(off.workerPids().get(0));
            assertTrue(arguments.stream().noneMatch(a -> a.startsWith(recordingFlag) || a.startsWith(sharingFlag)),
                    arguments.toString());
        }
    }

    @Test
    void workersBootFromJarsAndShareTheArchiveEvenWhenTheApplicationIsOnClassDirectories() {
        // the test classpath has class directories (pool-worker/target/classes among them)
        for (int round = 0; round < 2; round++) { // the first pool may record, the second maps
            try (ProcessPool pool = ProcessPool.create(1)) {
                assertEquals(4, (int) pool.<Integer, Integer>apply(x -> x * x, 2), "a task of a class directory");
                List<String> arguments = argumentsOf(pool.workerPids().get(0));
                String classpath = arguments.get(arguments.indexOf("-cp") + 1);
                for (String entry : classpath.split(File.pathSeparator)) {
                    assertTrue(entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry)), classpath);
                }
                assertTrue(arguments.stream().anyMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit=")
                        || a.startsWith("-XX:SharedArchiveFile=")), arguments.toString());
                assertEquals("procpool-user", pool.apply(x -> ClassDataSharingTest.class.getClassLoader().getName(),
                        0), "a class directory's classes load through the worker's own loader");
            }
        }
    }

    private static List<String> argumentsOf(long pid) {
        return List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
    }

    /** This JVM's classpath with every class directory packed into a jar. */
    private static String asJars(Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                Path jar = dir.resolve("classes-" + n++ + ".jar");
                pack(path, jar);
                entries.add(jar.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void pack(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }
}
