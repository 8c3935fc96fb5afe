package dev.procpool.internal.classpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar cache forgets what no worker started from for a week, and keeps what workers still use. */
class JarCacheTest {
    private static final long NOW = System.currentTimeMillis();
    private static final long DAY = TimeUnit.DAYS.toMillis(1);

    @TempDir
    Path dir;

    @Test
    void jarsUnusedForAWeekGoWhenTheCacheGrowsAndUsedOnesStay() throws IOException {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        file(cache, "aaaa-app-worker.jar", NOW - 8 * DAY);
        file(cache, "bbbb-app-worker.jar", NOW - 30 * DAY);
        file(cache, "bbbb-app-worker.jar.used", NOW - DAY);
        file(cache, "cccc-classes.jar", NOW - DAY / 2);
        file(cache, "dddd-gone.jar.used", NOW);
        file(cache, "pack123.tmp", NOW - 2 * 3_600_000);
        file(cache, "pack456.tmp", NOW - 60_000);
        Path classes = Files.createDirectories(dir.resolve("module/target/classes"));
        Files.writeString(classes.resolve("A.class"), "not really a class");

        Path packed = new JarCache(cache).packDirectory(classes); // the cache grows: it prunes

        assertTrue(Files.isRegularFile(packed));
        assertFalse(Files.exists(cache.resolve("aaaa-app-worker.jar")), "unused for 8 days");
        assertTrue(Files.exists(cache.resolve("bbbb-app-worker.jar")), "made long ago, used yesterday");
        assertTrue(Files.exists(cache.resolve("bbbb-app-worker.jar.used")));
        assertTrue(Files.exists(cache.resolve("cccc-classes.jar")), "made today");
        assertFalse(Files.exists(cache.resolve("dddd-gone.jar.used")), "a marker without its jar");
        assertFalse(Files.exists(cache.resolve("pack123.tmp")), "left by a JVM that died writing it");
        assertTrue(Files.exists(cache.resolve("pack456.tmp")), "another JVM may be writing it");
    }

    @Test
    void aWorkerStartMarksOnlyTheCachesOwnJarsAndKeepsTheirTime() throws IOException {
        Path cacheDir = Files.createDirectories(dir.resolve("cache"));
        Path cached = Files.writeString(cacheDir.resolve("eeee-app-worker.jar"), "jar");
        FileTime made = FileTime.fromMillis(NOW - 10 * DAY);
        Files.setLastModifiedTime(cached, made);
        Path elsewhere = Files.writeString(dir.resolve("kryo.jar"), "jar");
        JarCache cache = new JarCache(cacheDir);

        cache.markUsed(cached);
        cache.markUsed(elsewhere);
        cache.prune(System.currentTimeMillis());

        assertTrue(Files.exists(cached), "used now: kept although made 10 days ago");
        assertEquals(made, Files.getLastModifiedTime(cached), "the jar's time is in the CDS archive's key");
        assertFalse(Files.exists(dir.resolve("kryo.jar.used")), "not the cache's: no marker");
    }

    private static void file(Path cache, String name, long modified) throws IOException {
        Files.setLastModifiedTime(Files.writeString(cache.resolve(name), name), FileTime.fromMillis(modified));
    }
}
