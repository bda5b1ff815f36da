package dev.relay.local.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What Lambda's {@code java25} managed runtime puts around a function, reproduced on this machine: the JVM and its
 * flags, the official runtime interface client (RIC) on the classpath, a task root, and the reserved environment
 * variables.
 *
 * <p>The RIC builds its customer class loader from {@code user.dir} (plus {@code user.dir/lib/*.jar} and
 * {@code /opt/java/lib/*.jar}) with the system class loader as parent. The function jar goes on the system classpath
 * after the RIC and its two dependencies, and the process runs in an empty per-function task root, so the parent finds
 * the handler and nothing from the developer's working directory leaks onto the function's classpath.
 */
final class JavaRuntime {

    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String EXECUTION_ENV = "AWS_Lambda_java25";

    /** Every environment gets these; the local emulators accept any credentials, and real ones must never leak in. */
    static final String FAKE_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String FAKE_SECRET_ACCESS_KEY = "relay-local-cloud-fake-secret";
    static final String FAKE_SESSION_TOKEN = "relay-local-cloud-fake-session-token";

    /** The RIC loads its native client from this path when set, instead of copying it to a fixed /tmp file. */
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    /** Classes whose jars make up the runtime: the RIC, aws-lambda-java-core, aws-lambda-java-serialization. */
    private static final List<String> RUNTIME_CLASSES = List.of(MAIN_CLASS,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer");
    /** Host variables a process needs to behave (never credentials or the developer's AWS settings). */
    private static final List<String> HOST_BASICS = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR");

    private static final Logger LOG = LogManager.getLogger(JavaRuntime.class);

    private final Path javaExecutable;
    private final List<Path> classpath;
    private final Path nativeClient;
    private final Path workDir;

    private JavaRuntime(Path javaExecutable, List<Path> classpath, Path nativeClient, Path workDir) {
        this.javaExecutable = javaExecutable;
        this.classpath = classpath;
        this.nativeClient = nativeClient;
        this.workDir = workDir;
    }

    /**
     * Finds the RIC and its dependencies on this JVM's own classpath and unpacks the RIC's native client into
     * {@code workDir}.
     *
     * @throws IllegalStateException naming the missing jar when the local cloud was started without the RIC
     */
    static JavaRuntime locate(Path workDir) {
        Set<Path> jars = new LinkedHashSet<>();
        for (String className : RUNTIME_CLASSES) {
            jars.add(codeSourceOf(className));
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new JavaRuntime(java, List.copyOf(jars), unpackNativeClient(workDir), workDir);
    }

    private static Path codeSourceOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, JavaRuntime.class.getClassLoader());
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                throw new IllegalStateException("cannot tell which jar holds " + className);
            }
            return Path.of(source.getLocation().toURI());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the local cloud's classpath lacks " + className + " (dependency "
                    + "com.amazonaws:aws-lambda-java-runtime-interface-client); cannot run Lambda functions", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unusable code source for " + className, e);
        }
    }

    /**
     * The RIC copies its native library to the fixed path {@code /tmp/.libaws-lambda-jni.so} in every JVM it starts in:
     * environments starting together would overwrite it under each other (and another user's file blocks it). One copy
     * per local cloud, passed by system property, avoids both.
     */
    private static Path unpackNativeClient(Path workDir) {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + (cpu.equals("x86_64") ? "x86_64" : "aarch64") + ".so.1"));
        String resource = "/jni/libaws-lambda-jni.linux" + (musl ? "_musl" : "") + "-" + cpu + ".so";
        try (InputStream in = codeSourceClass().getResourceAsStream(resource)) {
            if (in == null) {
                LOG.warn("runtime interface client has no {}; it will unpack its own native client", resource);
                return null;
            }
            Path target = workDir.resolve("runtime").resolve("libaws-lambda-jni.so");
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the runtime interface client's native library into " + workDir, e);
        }
    }

    private static Class<?> codeSourceClass() {
        try {
            return Class.forName(MAIN_CLASS, false, JavaRuntime.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The empty directory a function's processes run in ({@code user.dir}, {@code LAMBDA_TASK_ROOT}). */
    Path taskRoot(FunctionSpec spec) {
        Path root = workDir.resolve("task").resolve(spec.name());
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create task root " + root, e);
        }
        return root;
    }

    /** The file an environment's stdout and stderr go to (created empty). */
    Path outputFile(FunctionSpec spec, int environment) {
        Path file = workDir.resolve("logs").resolve(spec.name() + "-" + environment + "-" + System.nanoTime() + ".log");
        try {
            Files.createDirectories(file.getParent());
            return Files.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create function output file " + file, e);
        }
    }

    /** {@code java <Lambda-like flags> -cp <RIC, core, serialization, function jar> AWSLambda <handler>}. */
    List<String> command(FunctionSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        // As Lambda's java runtimes: heap of about 85% of the memory size, serial GC, CDS, C1 only for a quick start.
        command.add("-XX:MaxHeapSize=" + (spec.memoryMb() * 1024L * 85 / 100) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.net.preferIPv4Stack=true");
        if (Runtime.version().feature() >= 22) {
            // The RIC loads a native library and calls sun.misc.Unsafe; without these the JDK warns on every start.
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (nativeClient != null) {
            command.add("-D" + JNI_PROPERTY + "=" + nativeClient);
        }
        command.add("-cp");
        command.add(classpath(spec));
        command.add(MAIN_CLASS);
        command.add(spec.handler());
        return command;
    }

    String classpath(FunctionSpec spec) {
        List<Path> entries = new ArrayList<>(classpath);
        entries.add(spec.jar().toAbsolutePath());
        return entries.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    }

    /**
     * The process environment: a few host basics, the function's own variables, then Lambda's reserved variables
     * (which win, as Lambda does not let a function set them). {@code JAVA_TOOL_OPTIONS} from the template reaches the
     * JVM through this environment.
     */
    Map<String, String> environment(FunctionSpec spec, String runtimeApi, String logStream) {
        return environment(spec, runtimeApi, logStream, System.getenv());
    }

    /** As {@link #environment(FunctionSpec, String, String)}, taking the basics from {@code host}. */
    Map<String, String> environment(FunctionSpec spec, String runtimeApi, String logStream, Map<String, String> host) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : HOST_BASICS) {
            String value = host.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        env.putAll(spec.environment());
        Map<String, String> reserved = new LinkedHashMap<>();
        reserved.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        reserved.put("_HANDLER", spec.handler());
        reserved.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        reserved.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        reserved.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        reserved.put("AWS_LAMBDA_LOG_GROUP_NAME", logGroup(spec));
        reserved.put("AWS_LAMBDA_LOG_STREAM_NAME", logStream);
        reserved.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        reserved.put("AWS_REGION", spec.region());
        reserved.put("AWS_DEFAULT_REGION", spec.region());
        reserved.put("AWS_EXECUTION_ENV", EXECUTION_ENV);
        reserved.put("LAMBDA_TASK_ROOT", taskRoot(spec).toString());
        reserved.put("LAMBDA_RUNTIME_DIR", classpath.getFirst().getParent().toString());
        reserved.put("TZ", ":UTC");
        reserved.put("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY_ID);
        reserved.put("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_ACCESS_KEY);
        reserved.put("AWS_SESSION_TOKEN", FAKE_SESSION_TOKEN);
        reserved.keySet().stream().filter(spec.environment()::containsKey).forEach(name ->
                LOG.warn("function {}: environment variable {} is reserved by Lambda; the template's value is ignored",
                        spec.name(), name));
        env.putAll(reserved);
        return env;
    }

    static String logGroup(FunctionSpec spec) {
        return "/aws/lambda/" + spec.name();
    }
}
