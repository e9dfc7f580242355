package io.orderflow.contractcheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the classes below a package, in class-path directories and jars. A plain scan rather than Spring's, so that
 * the contract tooling needs nothing but Jackson and Axon's messaging API.
 */
final class Classpath {

    private static final String CLASS_SUFFIX = ".class";

    private Classpath() {
    }

    /**
     * Every loadable class below {@code basePackage}, sorted by name. Test output directories ({@code test-classes})
     * are left out unless asked for: a test fixture must never stand in for a production event or upcaster.
     */
    static List<Class<?>> classesIn(String basePackage, ClassLoader loader, boolean includeTestOutput) {
        String path = basePackage.replace('.', '/');
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                switch (root.getProtocol()) {
                    case "file" -> namesInDirectory(Path.of(root.toURI()), basePackage, includeTestOutput, names);
                    case "jar" -> namesInJar(root, path, names);
                    default -> throw new IllegalStateException("cannot scan " + root + " for " + basePackage);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan the class path for " + basePackage, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            try {
                // Not initialised: scanning must not run static initialisers of unrelated classes.
                classes.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // A class whose optional dependencies are absent cannot be an event or an upcaster we can run.
            }
        }
        return classes;
    }

    private static void namesInDirectory(Path directory, String basePackage, boolean includeTestOutput,
                                         TreeSet<String> names) throws IOException {
        Path root = directory;
        for (int i = 0; i < basePackage.split("\\.").length; i++) {
            root = root.getParent();
        }
        if (!includeTestOutput && root.getFileName() != null && root.getFileName().toString().equals("test-classes")) {
            return;
        }
        Path classRoot = root;
        try (Stream<Path> files = Files.walk(directory)) {
            files.filter(file -> isClassFile(file.getFileName().toString())).forEach(file -> {
                List<String> segments = new ArrayList<>();
                classRoot.relativize(file).forEach(segment -> segments.add(segment.toString()));
                names.add(toClassName(String.join("/", segments)));
            });
        }
    }

    private static void namesInJar(URL root, String path, TreeSet<String> names) throws IOException {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        // Without caching the JarFile is ours to close, and closing it cannot break another user of the same jar.
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String entry = entries.nextElement().getName();
                if (entry.startsWith(path + "/") && isClassFile(entry.substring(entry.lastIndexOf('/') + 1))) {
                    names.add(toClassName(entry));
                }
            }
        }
    }

    private static boolean isClassFile(String fileName) {
        return fileName.endsWith(CLASS_SUFFIX) && !fileName.equals("package-info.class")
                && !fileName.equals("module-info.class");
    }

    private static String toClassName(String relativePath) {
        return relativePath.substring(0, relativePath.length() - CLASS_SUFFIX.length()).replace('/', '.');
    }
}
