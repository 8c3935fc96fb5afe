package dev.procpool.classpath;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class loader over a directory that is not a URLClassLoader (as jshell's, a servlet container's or a plugin
 * system's may be): its entries reach no worker's classpath, so a worker must ask the supervisor for its classes.
 * {@code servesResources} false: it defines classes but shows no class files, so nobody can give them to a worker.
 */
final class DirLoader extends ClassLoader {
    private final Path dir;
    private final boolean servesResources;

    DirLoader(Path dir, ClassLoader parent, boolean servesResources) {
        super(parent);
        this.dir = dir;
        this.servesResources = servesResources;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Path file = dir.resolve(name.replace('.', '/') + ".class");
        try {
            byte[] bytes = Files.readAllBytes(file);
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    @Override
    protected URL findResource(String name) {
        Path file = dir.resolve(name);
        try {
            return servesResources && Files.isRegularFile(file) ? file.toUri().toURL() : null;
        } catch (MalformedURLException e) {
            return null;
        }
    }
}
