package dev.procpool.cli;

import dev.procpool.worker.Task;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the user's task class from --classpath and instantiates it. The class loader becomes the pool's (results and
 * exceptions of the user's classes are rebuilt with it); the workers get the same entries on their classpath, after
 * procpool's own.
 */
final class TaskLoader implements AutoCloseable {
    private final URLClassLoader loader;
    private final String workerClasspath;

    private TaskLoader(URLClassLoader loader, String workerClasspath) {
        this.loader = loader;
        this.workerClasspath = workerClasspath;
    }

    /** @param classpath entries separated by the platform's path separator; "dir/*" means every jar in dir */
    static TaskLoader of(String classpath) throws UsageException {
        List<Path> entries = new ArrayList<>();
        if (classpath != null) {
            for (String entry : classpath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    expand(entry, entries);
                }
            }
        }
        List<String> workerEntries = new ArrayList<>();
        for (String own : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // absolute, so that the classpath does not depend on where a worker resolves it
            workerEntries.add(Path.of(own).toAbsolutePath().toString());
        }
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            workerEntries.add(entries.get(i).toString());
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UsageException("bad --classpath entry " + entries.get(i) + ": " + e.getMessage());
            }
        }
        URLClassLoader loader = new URLClassLoader("procpool-task", urls, TaskLoader.class.getClassLoader());
        return new TaskLoader(loader, String.join(File.pathSeparator, workerEntries));
    }

    private static void expand(String entry, List<Path> entries) throws UsageException {
        boolean wildcard = entry.equals("*") || entry.endsWith(File.separator + "*");
        Path path = Path.of(wildcard ? entry.substring(0, entry.length() - 1) + "." : entry).toAbsolutePath()
                .normalize();
        if (!Files.exists(path)) {
            throw new UsageException("--classpath entry not found: " + entry);
        }
        if (!wildcard) {
            entries.add(path);
            return;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(path, "*.{jar,JAR}")) {
            jars.forEach(entries::add);
        } catch (IOException e) {
            throw new UsageException("cannot list --classpath entry " + entry + ": " + e.getMessage());
        }
    }

    ClassLoader classLoader() {
        return loader;
    }

    String workerClasspath() {
        return workerClasspath;
    }

    /** A new instance of the named class, checked to be a Task that takes a String. */
    @SuppressWarnings("unchecked")
    Task<String, ?> newTask(String className) throws UsageException {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new UsageException("task class not found: " + className
                    + (loader.getURLs().length == 0 ? " (add its jar or directory with --classpath)" : ""));
        } catch (LinkageError e) {
            throw new UsageException("cannot load task class " + className + ": " + e);
        }
        if (!Task.class.isAssignableFrom(type)) {
            throw new UsageException(className + " does not implement " + Task.class.getName());
        }
        Class<?> input = inputType(type);
        if (input != null && !input.isAssignableFrom(String.class)) {
            throw new UsageException(className + " takes " + input.getName()
                    + ", but procpool run gives each input line to the task as a String");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new UsageException(className + " is abstract");
        }
        try {
            return (Task<String, ?>) type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new UsageException(className + " needs a public constructor without arguments");
        } catch (IllegalAccessException e) {
            throw new UsageException(className + " is not public");
        } catch (InvocationTargetException e) {
            throw new UsageException("the constructor of " + className + " threw " + e.getCause());
        } catch (InstantiationException e) {
            throw new UsageException("cannot instantiate " + className + ": " + e);
        }
    }

    /** T of the Task<T, R> the class or a superclass implements directly, when it is a plain class; else null. */
    private static Class<?> inputType(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == Task.class) {
                    return p.getActualTypeArguments()[0] instanceof Class<?> input ? input : null;
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
