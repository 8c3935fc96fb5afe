package dev.procpool.internal.classpath;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a pool's workers get the user's classes: the classpath sent with INIT and the class loaders that answer a
 * worker's request for what that classpath lacks. The loaders are the pool's (the builder's context loader), the
 * initializer's and every task's, newest first; held weakly, so that a pool never keeps a webapp's or plugin's
 * loader alive after it was undeployed.
 */
public final class ClassSources {
    private final String configured; // Builder.classpath, or null for the default
    /** Paths the children have on their own classpath already: procpool's jars, and the user's jars put there. */
    private final Set<String> onChildClasspath; // guarded by this
    private final List<WeakReference<ClassLoader>> loaders = new ArrayList<>(); // guarded by this
    private String classpath; // guarded by this; null when a loader was added since it was worked out
    /** Longer user classpaths go with INIT: a command line has a size limit, a frame has none this small. */
    private static final int MAX_COMMAND_LINE_CLASSPATH = 64 * 1024;

    /**
     * @param configured  the user's classpath as given to the builder, or null: this JVM's class path plus the
     *                    entries of the URL class loaders among {@code poolLoader} and the tasks' loaders
     * @param bootOrigins paths the children boot from already (see {@link BootClasspath#origins()})
     */
    public ClassSources(ClassLoader poolLoader, String configured, Set<String> bootOrigins) {
        this.configured = configured;
        this.onChildClasspath = new LinkedHashSet<>(bootOrigins);
        add(poolLoader);
    }

    /** A loader whose classes workers may need (a task's or the initializer's); the newest is asked first. */
    public synchronized void add(ClassLoader loader) {
        if (loader == null) {
            return;
        }
        loaders.removeIf(ref -> ref.get() == null || ref.get() == loader);
        loaders.add(0, new WeakReference<>(loader));
        classpath = null;
    }

    /** The classpath of the user's classes in a worker now starting. */
    public synchronized String userClasspath() {
        if (classpath == null) {
            Set<String> entries = new LinkedHashSet<>();
            if (configured != null) {
                addEntries(entries, configured);
            } else {
                addEntries(entries, System.getProperty("java.class.path", ""));
                for (WeakReference<ClassLoader> ref : loaders) {
                    for (ClassLoader l = ref.get(); l != null; l = l.getParent()) {
                        if (l instanceof URLClassLoader urls) {
                            for (URL url : urls.getURLs()) {
                                fileOf(url).ifPresent(entries::add);
                            }
                        }
                    }
                }
            }
            entries.removeAll(onChildClasspath);
            classpath = String.join(File.pathSeparator, entries);
        }
        return classpath;
    }

    /**
     * The user classpath as it is now, when it is all jars: a child then has it on its own classpath, after
     * procpool's jars, where the JVM's class data sharing archive covers it (a directory it would not archive) and
     * the user's classes load from the archive without their jars being opened; from then on it is no longer part
     * of {@link #userClasspath()}. Null when an entry is not a jar, or when the whole would make a command line too
     * long: the children then load it through their own class loader, from INIT.
     */
    public synchronized String jarsForChildClasspath() {
        String user = userClasspath();
        if (user.isEmpty() || user.length() > MAX_COMMAND_LINE_CLASSPATH) {
            return null;
        }
        List<String> jars = List.of(user.split(File.pathSeparator));
        for (String entry : jars) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                return null;
            }
        }
        onChildClasspath.addAll(jars);
        classpath = null;
        return user;
    }

    private static void addEntries(Set<String> entries, String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
    }

    private static java.util.Optional<String> fileOf(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return java.util.Optional.empty(); // a worker asks for those classes instead
        }
        try {
            return java.util.Optional.of(Path.of(url.toURI()).toAbsolutePath().normalize().toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** The bytes of a resource ({@code a/b/C.class} for a class) from the first loader that has it, or null. */
    public byte[] bytes(String resource) throws IOException {
        List<ClassLoader> candidates = new ArrayList<>();
        synchronized (this) {
            for (WeakReference<ClassLoader> ref : loaders) {
                ClassLoader loader = ref.get();
                if (loader != null) {
                    candidates.add(loader);
                }
            }
        }
        for (ClassLoader loader : candidates) { // outside the lock: a loader may take its time
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in != null) {
                    return in.readAllBytes();
                }
            }
        }
        return null;
    }
}
