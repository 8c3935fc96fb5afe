package dev.procpool.classpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: an application whose classes and whose procpool jars are not on {@code java.class.path} builds pools
 * and gets correct results: loaded through a URLClassLoader of its own (as {@code mvn exec:java} does), and from
 * jars nested in a fat jar, and from one shaded jar. Each runs {@link IsolatedApp} in a child JVM whose class path holds the launcher only.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IsolatedApplicationTest {
    private static final long CHILD_SECONDS = 180; // two pools and three worker starts on a loaded machine
    private static Path fixtures;

    @TempDir
    Path dir;

    @BeforeAll
    static void compile(@TempDir Path classes) throws IOException {
        fixtures = Sources.compileFixtures(classes);
    }

    @Test
    void anApplicationOnItsOwnUrlClassLoaderAsUnderExecJava() throws Exception {
        List<String> output = runChild(IsolatedLauncher.class, System.getProperty("java.class.path"),
                IsolatedApp.class.getName(), fixtures.toString());
        checkResults(output);
    }

    @Test
    void anApplicationFromJarsNestedInAFatJar() throws Exception {
        Path fat = dir.resolve("fat app.jar"); // a space: the nested URLs must be decoded
        int n = 0;
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(fat))) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (!Files.exists(path)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(String.format("lib/%02d-%s.jar", n++, path.getFileName())));
                if (Files.isDirectory(path)) {
                    out.write(pack(path));
                } else {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
        List<String> output = runChild(NestedJarLauncher.class, fat.toString(), IsolatedApp.class.getName(),
                fixtures.toString());
        checkResults(output);
    }

    /**
     * The application and every dependency merged into one jar, as maven-shade-plugin makes it: workers boot from
     * a copy of procpool's own packages, then the whole jar for the application's classes (on their classpath, so
     * that the class data sharing archive covers those too).
     */
    @Test
    void anApplicationFromAShadedJar() throws Exception {
        Path shaded = dir.resolve("shaded.jar");
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(shaded))) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    try (Stream<Path> files = Files.walk(path)) {
                        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                            String name = path.relativize(file).toString().replace(File.separatorChar, '/');
                            if (written.add(name)) {
                                out.putNextEntry(new JarEntry(name));
                                Files.copy(file, out);
                                out.closeEntry();
                            }
                        }
                    }
                } else if (Files.isRegularFile(path)) {
                    try (JarFile jar = new JarFile(path.toFile())) {
                        for (JarEntry in : Collections.list(jar.entries())) {
                            if (!in.isDirectory() && !in.getName().startsWith("META-INF/") && written.add(in.getName())) {
                                out.putNextEntry(new JarEntry(in.getName()));
                                jar.getInputStream(in).transferTo(out);
                                out.closeEntry();
                            }
                        }
                    }
                }
            }
        }
        List<String> output = run(List.of("-cp", shaded.toString(), IsolatedApp.class.getName(),
                fixtures.toString()));
        checkResults(output);
        String boot = output.stream().filter(l -> l.startsWith("workerBoot=")).findFirst().orElse("");
        assertEquals(2, boot.split(File.pathSeparator).length, String.join("\n", output));
        assertTrue(boot.split(File.pathSeparator)[0].endsWith("-shaded-worker.jar") && boot.endsWith(
                File.pathSeparator + shaded.toAbsolutePath()), String.join("\n", output));
    }

    private static void checkResults(List<String> output) {
        assertTrue(output.contains("squares=[1, 4, 9, 16]"), String.join("\n", output));
        assertTrue(output.contains("hidden=1049"), "a task class only the supervisor's loader has, and the"
                + " initializer ran first: " + String.join("\n", output));
        String workerOnly = output.stream().filter(l -> l.startsWith("workerOnly=")).findFirst().orElse("");
        assertTrue(workerOnly.contains("SerializationException") && workerOnly.contains(Sources.POINT),
                String.join("\n", output));
        assertTrue(output.contains("process=0/42"), "a JvmProcess runs a target of the application's classes: "
                + String.join("\n", output));
        assertTrue(output.contains("done"), String.join("\n", output));
    }

    /** Runs {@code launcher} in a fresh JVM whose class path is a copy of the launcher's class files alone. */
    private List<String> runChild(Class<?> launcher, String... args) throws Exception {
        Path launcherDir = dir.resolve("launcher");
        Path classes = Path.of(launcher.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = classes.resolve(launcher.getPackageName().replace('.', '/'));
        Path target = Files.createDirectories(launcherDir.resolve(launcher.getPackageName().replace('.', '/')));
        for (String name : List.of(IsolatedLauncher.class.getSimpleName(), NestedJarLauncher.class.getSimpleName())) {
            try (Stream<Path> files = Files.list(pkg)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(name)
                        && f.getFileName().toString().endsWith(".class"))::iterator) {
                    Files.copy(file, target.resolve(file.getFileName()));
                }
            }
        }
        List<String> arguments = new ArrayList<>(List.of("-cp", launcherDir.toString(), launcher.getName()));
        arguments.addAll(List.of(args));
        return run(arguments);
    }

    /** Runs {@code java arguments...} and returns its standard output once it exited with 0. */
    private List<String> run(List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(arguments);
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        Process child = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            boolean ended = child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            assertTrue(ended, "the child ended within " + CHILD_SECONDS + " s; stderr:\n" + tail(err));
            assertEquals(0, child.exitValue(), "stdout:\n" + Files.readString(out) + "\nstderr:\n" + tail(err));
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
            child.onExit().get(30, TimeUnit.SECONDS);
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static byte[] pack(Path classes) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes); Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
