package dev.relay.local.lambda;

import dev.relay.local.lambda.testfn.Probe;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** The test functions' deployment jar, built once from the compiled {@code testfn} classes, and specs that use it. */
public final class TestFunctions {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final String PROBE = Probe.class.getName() + "::handleRequest";
    static final String ECHO = "dev.relay.local.lambda.testfn.Echo";

    private static Path jar;

    private TestFunctions() {
    }

    /** {@code target/lambda-testfn/function.jar}, holding only the {@code testfn} package. */
    public static synchronized Path jar() {
        if (jar != null) {
            return jar;
        }
        try {
            Path classes = Path.of(Probe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String packagePath = Probe.class.getPackageName().replace('.', '/');
            Path target = classes.getParent().resolve("lambda-testfn").resolve("function.jar");
            Files.createDirectories(target.getParent());
            try (OutputStream file = Files.newOutputStream(target);
                 JarOutputStream out = new JarOutputStream(file);
                 Stream<Path> files = Files.list(classes.resolve(packagePath))) {
                for (Path path : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                    out.putNextEntry(new JarEntry(packagePath + "/" + path.getFileName()));
                    Files.copy(path, out);
                    out.closeEntry();
                }
            }
            jar = target;
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static FunctionSpec spec(String name, String handler) {
        return FunctionSpec.of(name, handler, jar(), Map.of("GREETING", "hello"), REGION, ACCOUNT);
    }

    /** A sink that keeps every line, for assertions, and prints nothing. */
    static final class RecordingSink implements FunctionLogSink {
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void line(String functionName, String line) {
            lines.add(functionName + "|" + line);
        }

        List<String> lines() {
            return lines;
        }

        List<String> of(String functionName) {
            return lines.stream().filter(l -> l.startsWith(functionName + "|"))
                    .map(l -> l.substring(functionName.length() + 1)).toList();
        }
    }
}
