package dev.procpool.internal.classpath;

import dev.procpool.internal.LazyLogger;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classpath a worker JVM boots from: procpool's own jars (pool-worker and Kryo with its dependencies), found
 * where this JVM loaded those classes, whatever the application's classpath looks like ({@code mvn exec:java}, an
 * IDE's output folders, a fat jar, a servlet container). It is always jars, so the workers' class data sharing
 * archive always applies, and the same for every application: a directory is packed into a jar, a jar nested in
 * another is copied out, both into a cache keyed by content. The user's jars follow on the worker's classpath (see
 * {@link ClassSources#jarsForChildClasspath()}); anything else of the user's loads through the worker's own class
 * loader (see the worker's UserClassLoader).
 */
public final class BootClasspath {
    private static final LazyLogger LOG = new LazyLogger(BootClasspath.class);
    /** One class from each artifact a worker needs before it can load anything of the user's. */
    private static final List<String> ANCHORS = List.of("dev.procpool.worker.WorkerMain",
            "com.esotericsoftware.kryo.Kryo", "com.esotericsoftware.reflectasm.ConstructorAccess",
            "org.objenesis.Objenesis", "com.esotericsoftware.minlog.Log");
    /** What a worker boots from when a shaded jar holds them together with everything else. */
    private static final List<String> WORKER_PACKAGES = List.of("dev/procpool/worker/", "dev/procpool/protocol/",
            "dev/procpool/objects/", "dev/procpool/shared/", "dev/procpool/classes/", "com/esotericsoftware/",
            "org/objenesis/");
    private static volatile BootClasspath resolved;

    private final List<Path> jars;
    private final Set<String> origins;
    private final JarCache cache; // null when resolving failed

    private BootClasspath(List<Path> jars, Set<String> origins, JarCache cache) {
        this.jars = List.copyOf(jars);
        this.origins = Set.copyOf(origins);
        this.cache = cache;
    }

    /** A worker starts from these jars now: those from the jar cache are marked used, so that it keeps them. */
    public static void markUsed() {
        BootClasspath boot = resolved;
        if (boot != null && boot.cache != null) {
            boot.jars.forEach(boot.cache::markUsed);
        }
    }

    /** This JVM's boot classpath for workers (worked out once per JVM), or null when it cannot be found. */
    public static BootClasspath get() {
        BootClasspath boot = resolved;
        if (boot == null) {
            synchronized (BootClasspath.class) {
                boot = resolved;
                if (boot == null) {
                    boot = resolve();
                    resolved = boot;
                }
            }
        }
        return boot.jars.isEmpty() ? null : boot;
    }

    /** The jars, in order, each a regular file. */
    public List<Path> jars() {
        return jars;
    }

    /** The places the classes came from (directories, jars) as absolute paths: the user classpath drops them. */
    public Set<String> origins() {
        return origins;
    }

    public String asClasspath() {
        List<String> entries = new ArrayList<>();
        jars.forEach(jar -> entries.add(jar.toString()));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static BootClasspath resolve() {
        Set<Path> jars = new LinkedHashSet<>();
        Set<String> origins = new LinkedHashSet<>();
        JarCache cache;
        try {
            cache = JarCache.inTempDir();
            List<URL> locations = new ArrayList<>();
            for (String anchor : ANCHORS) {
                Class<?> type;
                try {
                    type = Class.forName(anchor, false, BootClasspath.class.getClassLoader());
                } catch (ClassNotFoundException optional) { // reflectasm may be excluded: Kryo works without it
                    continue;
                }
                CodeSource source = type.getProtectionDomain().getCodeSource();
                if (source == null || source.getLocation() == null) {
                    throw new IOException("no code source for " + anchor);
                }
                locations.add(source.getLocation());
            }
            for (URL location : locations) {
                if (!"file".equals(location.getProtocol())) {
                    jars.add(cache.copyNested(location));
                    continue;
                }
                Path path = Path.of(location.toURI()).toAbsolutePath();
                if (java.nio.file.Files.isDirectory(path)) {
                    origins.add(path.toString());
                    jars.add(cache.packDirectory(path));
                } else if (locations.stream().filter(other -> other.toString().equals(location.toString())).count() > 1) {
                    // a shaded jar: it stays on the user classpath, for the application's own classes
                    jars.add(cache.extract(path, WORKER_PACKAGES));
                } else {
                    origins.add(path.toString());
                    jars.add(path);
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LOG.get().warn("cannot find procpool's own jars ({}); workers boot from this JVM's class path", e.toString());
            return new BootClasspath(List.of(), Set.of(), null);
        }
        return new BootClasspath(new ArrayList<>(jars), origins, cache);
    }
}
