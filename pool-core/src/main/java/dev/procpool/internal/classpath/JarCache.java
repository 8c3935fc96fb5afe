package dev.procpool.internal.classpath;

import dev.procpool.internal.LazyLogger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Jars made from what is not a plain jar on disk, in a directory of the temp dir, each named by the SHA-256 of its
 * content: the same content gives the same file (so the CDS archive keyed by it stays valid across runs), and a
 * file is written once, to a temporary name, then moved into place atomically (other JVMs may race for it).
 *
 * <p>Every build of an application can add a jar, so the cache forgets: whenever it grows, jars not used for
 * {@link #UNUSED_DAYS} days go. A jar's use is recorded in a marker beside it ({@code x.jar.used}), touched whenever a
 * JVM starts a worker from it; not in the jar's own time, which the class data sharing archive's key includes.
 */
final class JarCache {
    static final int UNUSED_DAYS = 7;
    private static final long UNUSED_MILLIS = UNUSED_DAYS * 86_400_000L;
    /** A temporary file this old was left by a JVM that died while writing it (a write takes seconds). */
    private static final long STALE_TEMP_MILLIS = 3_600_000;
    private static final String USED = ".used";

    private static final LazyLogger LOG = new LazyLogger(JarCache.class);

    private final Path dir;

    JarCache(Path dir) {
        this.dir = dir;
    }

    static JarCache inTempDir() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "procpool-jars-" + System.getProperty("user.name"));
        Files.createDirectories(dir);
        return new JarCache(dir);
    }

    /** A jar of a directory of classes (target/classes, an IDE's output folder). */
    Path packDirectory(Path classes) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        MessageDigest digest = sha256();
        for (Path file : files) {
            digest.update(entryName(classes, file).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Files.readAllBytes(file));
        }
        Path jar = dir.resolve(HexFormat.of().formatHex(digest.digest(), 0, 16) + "-" + label(classes) + ".jar");
        if (!Files.isRegularFile(jar)) {
            Path tmp = Files.createTempFile(dir, "pack", ".tmp");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
                for (Path file : files) {
                    JarEntry entry = new JarEntry(entryName(classes, file));
                    entry.setTime(0); // the name says the content; the time must not change the bytes
                    out.putNextEntry(entry);
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            publish(tmp, jar);
        }
        return jar;
    }

    /**
     * The entries of a shaded jar (the application and its dependencies merged into one) under {@code packages}:
     * a worker opening a jar of thousands of entries to boot pays for it in every start. Named by the jar's path,
     * size and modification time: a rebuilt jar gets a new copy.
     */
    Path extract(Path shaded, List<String> packages) throws IOException {
        NameHash key = new NameHash().add(shaded.toAbsolutePath().toString()).add(String.valueOf(Files.size(shaded)))
                .add(String.valueOf(Files.getLastModifiedTime(shaded).toMillis())).add(String.join(",", packages));
        String name = shaded.getFileName().toString();
        String base = name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
        Path jar = dir.resolve(key.hex() + "-" + base + "-worker.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path tmp = Files.createTempFile(dir, "extract", ".tmp");
        try (JarFile in = new JarFile(shaded.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            for (JarEntry entry : java.util.Collections.list(in.entries())) {
                if (!entry.isDirectory() && packages.stream().anyMatch(entry.getName()::startsWith)) {
                    JarEntry copy = new JarEntry(entry.getName());
                    copy.setTime(0);
                    out.putNextEntry(copy);
                    try (InputStream bytes = in.getInputStream(entry)) {
                        bytes.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        publish(tmp, jar);
        return jar;
    }

    /**
     * A jar nested in another, as a fat jar's class loader reports it: {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/}
     * or, Spring Boot 3.2 on, {@code jar:nested:/app.jar/!BOOT-INF/lib/x.jar!/}.
     */
    Path copyNested(URL location) throws IOException {
        String spec = location.toString();
        if (!spec.startsWith("jar:") || !spec.endsWith("!/")) {
            throw new IOException("cannot copy classes from " + spec);
        }
        String inner = spec.substring(4, spec.length() - 2); // file:/app.jar!/BOOT-INF/lib/x.jar
        byte[] bytes = read(inner);
        MessageDigest digest = sha256();
        String name = inner.substring(inner.lastIndexOf('/') + 1);
        Path jar = dir.resolve(HexFormat.of().formatHex(digest.digest(bytes), 0, 16) + "-" + name);
        if (!Files.isRegularFile(jar)) {
            Path tmp = Files.createTempFile(dir, "copy", ".tmp");
            Files.write(tmp, bytes);
            publish(tmp, jar);
        }
        return jar;
    }

    private static byte[] read(String inner) throws IOException {
        int bang = inner.indexOf("!/");
        String outer = bang < 0 ? null : inner.substring(0, bang);
        if (outer != null && (outer.startsWith("file:") || outer.startsWith("nested:"))) {
            String path = outer.substring(outer.indexOf(':') + 1);
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1); // nested:/app.jar/!entry
            }
            try (JarFile jar = new JarFile(java.net.URLDecoder.decode(path, StandardCharsets.UTF_8))) {
                JarEntry entry = jar.getJarEntry(inner.substring(bang + 2));
                if (entry != null) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        return in.readAllBytes();
                    }
                }
            }
        }
        // a scheme only this JVM's own URL handlers know (the fat jar's launcher registered them)
        URL url = new URL(inner.startsWith("file:") ? "jar:" + inner : inner);
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }

    /** module/target/classes: "module", for a person looking at the cache; the hash alone names the content. */
    private static String label(Path classes) {
        Path module = classes.getParent() == null ? null : classes.getParent().getParent();
        Path name = module == null ? classes.getFileName() : module.getFileName();
        return name == null ? "classes" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Records that a worker starts from {@code jar} now, if it is one of this cache's. */
    void markUsed(Path jar) {
        if (!dir.equals(jar.getParent())) {
            return;
        }
        Path marker = jar.resolveSibling(jar.getFileName() + USED);
        try {
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
            Files.setLastModifiedTime(marker, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            LOG.get().debug("cannot mark {} as used", jar, e);
        }
    }

    /** Deletes the jars not used for {@link #UNUSED_DAYS} days, and temporary files that JVMs died writing. */
    void prune(long now) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".jar") && now - lastUsed(file) > UNUSED_MILLIS) {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.resolveSibling(name + USED));
                } else if (name.endsWith(".tmp") && now - modified(file) > STALE_TEMP_MILLIS) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(USED) && !Files.exists(file.resolveSibling(name.substring(0,
                        name.length() - USED.length())))) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.get().debug("cannot prune the jar cache {}", dir, e);
        }
    }

    private static long lastUsed(Path jar) {
        Path marker = jar.resolveSibling(jar.getFileName() + USED);
        return Math.max(modified(jar), Files.exists(marker) ? modified(marker) : 0);
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Long.MAX_VALUE; // gone already: nothing to delete
        }
    }

    /**
     * Never replaces a file another JVM published first: same name, same content, but a new modification time would
     * invalidate the class data sharing archives recorded against it. The cache grew: old jars go.
     */
    private void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp); // atomic, and unlike rename(2) it fails when the name exists
        } catch (java.nio.file.FileAlreadyExistsException publishedMeanwhile) {
            // as good: the same content under the same name
        } catch (UnsupportedOperationException | IOException noHardLinks) {
            if (!Files.exists(target)) {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        prune(System.currentTimeMillis());
    }

    private static String entryName(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
