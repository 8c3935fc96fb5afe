package dev.procpool.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a worker's class data sharing archive lives: one per JDK, options, classpath and program; how many stay. */
class WorkerCommandTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void eachProgramOnTheSameJarsHasAnArchiveOfItsOwn(@TempDir Path dir) throws IOException {
        String jar = Files.write(dir.resolve("app.jar"), new byte[] {1, 2, 3}).toString();
        Path first = WorkerCommand.archiveFor(JAVA, List.of(), jar, "com.example.First");
        assertNotNull(first);
        assertEquals(first, WorkerCommand.archiveFor(JAVA, List.of(), jar, "com.example.First"), "stable");
        assertNotEquals(first, WorkerCommand.archiveFor(JAVA, List.of(), jar, "com.example.Second"),
                "an archive holds the classes of the program whose worker recorded it");
        assertNotEquals(first, WorkerCommand.archiveFor(JAVA, List.of("-Xmx64m"), jar, "com.example.First"));
    }

    @Test
    void aClassDirectoryWithContentHasNoArchive(@TempDir Path dir) throws IOException {
        Files.write(Files.createDirectories(dir.resolve("classes")).resolve("A.class"), new byte[] {1});
        assertNull(WorkerCommand.archiveFor(JAVA, List.of(), dir.resolve("classes").toString(), "com.example.A"));
    }

    @Test
    void theCacheKeepsTheArchivesUsedLast(@TempDir Path cache) throws IOException {
        for (int i = 0; i < 5; i++) {
            Path archive = Files.write(cache.resolve("a" + i + ".jsa"), new byte[] {1});
            Files.setLastModifiedTime(archive, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Path other = Files.write(cache.resolve("a0.jsa.123-1.tmp"), new byte[] {1}); // a recording under way
        Path stale = Files.write(cache.resolve("a1.jsa.456-1.tmp"), new byte[] {1}); // its supervisor died
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3_600_000));
        WorkerCommand.prune(cache, 3);
        try (Stream<Path> left = Files.list(cache)) {
            assertEquals(Set.of("a2.jsa", "a3.jsa", "a4.jsa", other.getFileName().toString()),
                    left.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }
}
