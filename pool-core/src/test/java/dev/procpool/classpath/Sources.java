package dev.procpool.classpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Classes compiled by a test into a directory on no class path: only the loader the test makes has them. */
final class Sources {
    static final String SQUARE = "hidden.Square";
    static final String PREPARE = "hidden.Prepare";
    static final String POINT = "workeronly.Point";

    private Sources() {
    }

    /** hidden.Square (x -> x*x), hidden.Prepare (an initializer setting a property) and workeronly.Point. */
    static Path compileFixtures(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        write(src, "hidden/Square.java", "package hidden;\n"
                + "public final class Square implements dev.procpool.worker.Task<Integer, Integer> {\n"
                + "    public Integer apply(Integer x) { return x * x + Integer.getInteger(\"hidden.offset\", 0); }\n"
                + "}\n");
        write(src, "hidden/Prepare.java", "package hidden;\n"
                + "public final class Prepare implements dev.procpool.worker.Initializer {\n"
                + "    public void run() { System.setProperty(\"hidden.offset\", \"1000\"); }\n"
                + "}\n");
        write(src, "workeronly/Point.java", "package workeronly;\n"
                + "public final class Point implements java.io.Serializable {\n"
                + "    public int x = 3;\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.resolve("hidden/Square.java").toString(),
                src.resolve("hidden/Prepare.java").toString(), src.resolve("workeronly/Point.java").toString()));
        return classes;
    }

    private static void write(Path src, String file, String text) throws IOException {
        Path path = src.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }
}
