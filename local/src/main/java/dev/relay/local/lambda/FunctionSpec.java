package dev.relay.local.lambda;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One function of the template as the local Lambda runs it: what the Lambda service would know about a deployed
 * {@code AWS::Serverless::Function}. The local cloud builds it from the template; {@link LambdaService} needs nothing
 * else to start execution environments.
 *
 * @param name           the physical function name (what {@code Invoke} and event sources use)
 * @param logicalId      the template's logical id, for messages
 * @param handler        the template's {@code Handler}, e.g. {@code dev.relay.ops.OpsHandler::handleRequest}
 * @param jar            the deployment jar (the function module's {@code target/function.jar})
 * @param environment    the template's environment variables, plus whatever the local cloud adds
 *                       ({@code AWS_ENDPOINT_URL}, ...); Lambda's reserved variables are added per environment
 * @param timeoutSeconds the function timeout
 * @param memoryMb       the configured memory size; sizes the JVM heap as Lambda's java runtime does
 * @param maxConcurrency how many execution environments may run at once: the SQS event's
 *                       {@code ScalingConfig.MaximumConcurrency} or {@code ReservedConcurrentExecutions} when the
 *                       template sets one, else {@link #DEFAULT_MAX_CONCURRENCY}
 * @param arn            {@code arn:aws:lambda:<region>:<account>:function:<name>}
 */
public record FunctionSpec(String name, String logicalId, String handler, Path jar, Map<String, String> environment,
                           int timeoutSeconds, int memoryMb, int maxConcurrency, String arn) {

    /**
     * Local cap on execution environments per function when the template sets none. On AWS the account's concurrency
     * (1000) is the limit; on one developer machine every environment is a JVM, so a handful is plenty.
     */
    public static final int DEFAULT_MAX_CONCURRENCY = 4;

    /** Lambda's defaults when the template (and its Globals) say nothing. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 3;
    public static final int DEFAULT_MEMORY_MB = 128;

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler of " + name);
        Objects.requireNonNull(jar, "jar of " + name);
        Objects.requireNonNull(arn, "arn of " + name);
        logicalId = logicalId == null ? name : logicalId;
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment == null ? Map.of() : environment));
        if (timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException("function " + name + ": Timeout must be 1..900 seconds, was " + timeoutSeconds);
        }
        if (memoryMb < 128 || memoryMb > 10240) {
            throw new IllegalArgumentException("function " + name + ": MemorySize must be 128..10240 MB, was " + memoryMb);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("function " + name + ": concurrency must be at least 1, was " + maxConcurrency);
        }
        if (!arn.startsWith("arn:") || arn.split(":", -1).length != 7) {
            throw new IllegalArgumentException("function " + name + ": not a function ARN: " + arn);
        }
    }

    /** A spec with Lambda's default timeout and memory and the local default concurrency. */
    public static FunctionSpec of(String name, String handler, Path jar, Map<String, String> environment, String region,
                                  String accountId) {
        return new FunctionSpec(name, name, handler, jar, environment, DEFAULT_TIMEOUT_SECONDS, DEFAULT_MEMORY_MB,
                DEFAULT_MAX_CONCURRENCY, arn(region, accountId, name));
    }

    public static String arn(String region, String accountId, String functionName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    }

    /** The region, from the ARN. */
    public String region() {
        return arn.split(":")[3];
    }

    public String accountId() {
        return arn.split(":")[4];
    }

    public FunctionSpec withTimeoutSeconds(int seconds) {
        return new FunctionSpec(name, logicalId, handler, jar, environment, seconds, memoryMb, maxConcurrency, arn);
    }

    public FunctionSpec withMemoryMb(int megabytes) {
        return new FunctionSpec(name, logicalId, handler, jar, environment, timeoutSeconds, megabytes, maxConcurrency, arn);
    }

    public FunctionSpec withMaxConcurrency(int environments) {
        return new FunctionSpec(name, logicalId, handler, jar, environment, timeoutSeconds, memoryMb, environments, arn);
    }
}
