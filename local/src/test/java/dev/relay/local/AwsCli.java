package dev.relay.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI binaries on this machine: Debian's v2 ({@code /usr/bin/aws}, SQS over the query protocol) and
 * whatever {@code aws} is first on PATH (often a pip-installed v1 speaking SQS's JSON protocol).
 */
record AwsCli(Path binary) {

    record Result(int exitCode, String stdout, String stderr) {
    }

    static List<AwsCli> installed() {
        Set<Path> found = new LinkedHashSet<>();
        Path debian = Path.of("/usr/bin/aws");
        if (Files.isExecutable(debian)) {
            found.add(debian);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir, "aws");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                found.add(candidate);
                break;
            }
        }
        return found.stream().map(AwsCli::new).toList();
    }

    Result run(String endpoint, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--endpoint-url", endpoint, "--output",
                "json"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        environment.putAll(Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local", "AWS_REGION",
                "us-east-1", "AWS_DEFAULT_REGION", "us-east-1", "AWS_PAGER", "", "AWS_CONFIG_FILE", "/dev/null",
                "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(binary + " did not finish in 60 s: " + command);
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    @Override
    public String toString() {
        return binary.toString();
    }
}
