package dev.procpool.classpath;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an application as {@code mvn exec:java} does: its classes and procpool's come from a URLClassLoader of its
 * own, none of them from {@code java.class.path} (which holds only this class). Self-contained: the test copies its
 * class file alone into the child's classpath.
 *
 * <p>Arguments: the application's classpath, its main class, the main class's arguments.
 */
public final class IsolatedLauncher {
    private IsolatedLauncher() {
    }

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        ClassLoader app = new URLClassLoader("isolated-app", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        run(app, args[1], Arrays.copyOfRange(args, 2, args.length));
    }

    /** Calls {@code main} of {@code mainClass} in {@code loader}, as the thread's context loader (exec:java's way). */
    static void run(ClassLoader loader, String mainClass, String[] args) throws Exception {
        Thread.currentThread().setContextClassLoader(loader);
        Method main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
        main.invoke(null, (Object) args);
    }
}
