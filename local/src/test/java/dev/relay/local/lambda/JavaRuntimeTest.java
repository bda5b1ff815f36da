package dev.relay.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a function process is started with: Lambda's flags, classpath and environment, and nothing of the host's. */
class JavaRuntimeTest {

    @TempDir
    Path work;

    private final FunctionSpec spec = new FunctionSpec("orders", "Orders", "example.Handler::handleRequest",
            Path.of("/code/function.jar"), Map.of("TABLE", "orders", "AWS_REGION", "eu-west-1",
                    "JAVA_TOOL_OPTIONS", "-Dx=y"), 30, 1024, 2,
            FunctionSpec.arn("us-east-1", "123456789012", "orders"));

    @Test
    void theEnvironmentHasTheTemplatesVariablesAndLambdasReservedOnesButNoHostCredentials() {
        JavaRuntime runtime = JavaRuntime.locate(work);
        Map<String, String> host = Map.of("PATH", "/usr/bin", "HOME", "/home/dev",
                "AWS_SECRET_ACCESS_KEY", "real-secret", "AWS_PROFILE", "prod", "AWS_ACCESS_KEY_ID", "AKIAREAL");

        Map<String, String> env = runtime.environment(spec, "127.0.0.1:9001", "stream", host);

        assertThat(env).containsEntry("TABLE", "orders").containsEntry("JAVA_TOOL_OPTIONS", "-Dx=y")
                .containsEntry("PATH", "/usr/bin")
                .containsEntry("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001")
                .containsEntry("_HANDLER", "example.Handler::handleRequest")
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "orders")
                .containsEntry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
                .containsEntry("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/orders")
                .containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("AWS_EXECUTION_ENV", "AWS_Lambda_java25")
                .containsEntry("TZ", ":UTC")
                .containsEntry("AWS_ACCESS_KEY_ID", JavaRuntime.FAKE_ACCESS_KEY_ID)
                .containsEntry("AWS_SECRET_ACCESS_KEY", JavaRuntime.FAKE_SECRET_ACCESS_KEY)
                .containsKeys("LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION")
                .doesNotContainKey("AWS_PROFILE");
        assertThat(env.values()).doesNotContain("real-secret", "AKIAREAL");
    }

    @Test
    void theCommandRunsTheRuntimeClientWithTheFunctionJarLastAndAHeapOfEightyFivePercent() {
        JavaRuntime runtime = JavaRuntime.locate(work);

        List<String> command = runtime.command(spec);

        assertThat(command.getFirst()).endsWith("/bin/java");
        assertThat(command).contains("-XX:MaxHeapSize=" + (1024 * 1024 * 85 / 100) + "k", "-XX:+UseSerialGC",
                "-Xshare:auto");
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly(JavaRuntime.MAIN_CLASS, "example.Handler::handleRequest");
        String classpath = command.get(command.indexOf("-cp") + 1);
        assertThat(classpath).contains("aws-lambda-java-runtime-interface-client", "aws-lambda-java-core",
                "aws-lambda-java-serialization").endsWith("/code/function.jar");
        assertThat(command).anySatisfy(flag -> assertThat(flag)
                .startsWith("-Dcom.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI=" + work));
    }
}
