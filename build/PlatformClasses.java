import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the running JDK's platform classes (the modules function code can link against) from its {@code jrt:/}
 * file system into one jar, for ProGuard's {@code -libraryjars}: JDKs from 24 on ship no {@code jmods/} to point it at.
 * Run as {@code java build/PlatformClasses.java <jar>}; an existing jar is kept, so the reactor writes it once.
 */
public final class PlatformClasses {

    /** What the function jars' libraries link against; of java.desktop only java.beans (AWT and Swing are not used). */
    private static final List<String> MODULES = List.of("java.base", "java.compiler", "java.datatransfer",
            "java.desktop", "java.instrument", "java.logging", "java.management", "java.naming", "java.net.http",
            "java.prefs", "java.rmi", "java.scripting", "java.security.jgss", "java.sql", "java.transaction.xa",
            "java.xml", "jdk.net", "jdk.unsupported");

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java PlatformClasses.java <output jar>");
        }
        Path jar = Path.of(args[0]);
        if (Files.exists(jar)) {
            return;
        }
        Files.createDirectories(jar.toAbsolutePath().getParent());
        Path partial = Files.createTempFile(jar.toAbsolutePath().getParent(), "platform-classes", ".tmp");
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (OutputStream file = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(file)) {
            zip.setLevel(0);
            for (String module : MODULES) {
                Path root = jrt.getPath("/modules", module);
                Path classes = module.equals("java.desktop") ? root.resolve("java/beans") : root;
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path path : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class")
                            && !p.getFileName().toString().equals("module-info.class"))::iterator) {
                        zip.putNextEntry(new ZipEntry(root.relativize(path).toString()));
                        Files.copy(path, zip);
                        zip.closeEntry();
                    }
                }
            }
        }
        Files.move(partial, jar, StandardCopyOption.ATOMIC_MOVE);
    }
}
