package dev.relay.local;

import dev.relay.local.faults.FaultInjection;
import dev.relay.local.lambda.FunctionLogSink;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to run a template locally.
 *
 * @param template           the SAM template
 * @param edgePort           the edge port every AWS API is served on (default 4566; 0 = any free port)
 * @param httpApiPort        where HTTP API routes are served (default 3000, as {@code sam local start-api}; 0 = any)
 * @param dataDir            where DynamoDB keeps its tables; empty = in memory
 * @param stackName          {@code AWS::StackName}
 * @param region             {@code AWS::Region}
 * @param accountId          {@code AWS::AccountId}
 * @param parameterOverrides template parameter values
 * @param offlineModel       serve the offline OpenAI-compatible model on the edge under {@code /v1}
 * @param parameters         SSM parameters to create before functions start (name to SecureString value)
 * @param logSink            where function output and START/END/REPORT lines go
 * @param timeScale          how many times faster than real time Step Functions' Wait states and Retry intervals run
 *                           (1 = real time); timeouts are not scaled (see {@link
 *                           dev.relay.local.stepfunctions.EngineClock#accelerated})
 * @param faults             faults the local cloud injects on purpose (see {@link FaultInjection}); none by default
 * @param concurrencyLimit   at most this many execution environments per function and batches in flight per SQS
 *                           mapping, below what the template allows (a small machine); 0 for the template's
 */
public record LocalCloudOptions(Path template, int edgePort, int httpApiPort, Optional<Path> dataDir,
                                String stackName, String region, String accountId,
                                Map<String, String> parameterOverrides, boolean offlineModel,
                                Map<String, String> parameters, FunctionLogSink logSink, double timeScale,
                                Optional<FaultInjection> faults, int concurrencyLimit) {

    public static final int DEFAULT_EDGE_PORT = 4566;
    public static final int DEFAULT_HTTP_API_PORT = 3000;
    public static final String DEFAULT_STACK = "relay";
    public static final String DEFAULT_REGION = "us-east-1";
    /** The account ElasticMQ and most local tools assume. */
    public static final String DEFAULT_ACCOUNT = "000000000000";

    public LocalCloudOptions {
        parameterOverrides = Map.copyOf(parameterOverrides);
        parameters = Map.copyOf(parameters);
        if (concurrencyLimit != 0 && concurrencyLimit < 2) {
            throw new IllegalArgumentException("concurrencyLimit is at least 2 (an SQS mapping's minimum), or 0 for "
                    + "the template's, got " + concurrencyLimit);
        }
        if (!(timeScale >= 1)) {
            throw new IllegalArgumentException("timeScale must be at least 1 (real time), got " + timeScale);
        }
    }

    public static LocalCloudOptions defaults(Path template) {
        return new LocalCloudOptions(template, DEFAULT_EDGE_PORT, DEFAULT_HTTP_API_PORT, Optional.empty(),
                DEFAULT_STACK, DEFAULT_REGION, DEFAULT_ACCOUNT, Map.of(), true, Map.of(), FunctionLogSink.stdout(),
                1, Optional.empty(), 0);
    }

    public LocalCloudOptions withPorts(int edge, int httpApi) {
        return new LocalCloudOptions(template, edge, httpApi, dataDir, stackName, region, accountId,
                parameterOverrides, offlineModel, parameters, logSink, timeScale, faults, concurrencyLimit);
    }

    public LocalCloudOptions withDataDir(Optional<Path> directory) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, directory, stackName, region, accountId,
                parameterOverrides, offlineModel, parameters, logSink, timeScale, faults, concurrencyLimit);
    }

    public LocalCloudOptions withParameterOverrides(Map<String, String> overrides) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                overrides, offlineModel, parameters, logSink, timeScale, faults, concurrencyLimit);
    }

    public LocalCloudOptions withOfflineModel(boolean enabled) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                parameterOverrides, enabled, parameters, logSink, timeScale, faults, concurrencyLimit);
    }

    public LocalCloudOptions withLogSink(FunctionLogSink sink) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                parameterOverrides, offlineModel, parameters, sink, timeScale, faults, concurrencyLimit);
    }

    public LocalCloudOptions withParameters(Map<String, String> secureStrings) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                parameterOverrides, offlineModel, secureStrings, logSink, timeScale, faults, concurrencyLimit);
    }

    /** Step Functions' Wait states and Retry intervals run {@code factor} times faster (tests); 1 is real time. */
    public LocalCloudOptions withTimeScale(double factor) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                parameterOverrides, offlineModel, parameters, logSink, factor, faults, concurrencyLimit);
    }

    /** Faults to inject (fault-injection runs); none by default. */
    public LocalCloudOptions withFaults(FaultInjection injection) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                parameterOverrides, offlineModel, parameters, logSink, timeScale, Optional.of(injection), concurrencyLimit);
    }

    /** At most {@code environments} execution environments per function (and batches per mapping); 0: the template's. */
    public LocalCloudOptions withConcurrencyLimit(int environments) {
        return new LocalCloudOptions(template, edgePort, httpApiPort, dataDir, stackName, region, accountId,
                parameterOverrides, offlineModel, parameters, logSink, timeScale, faults, environments);
    }
}
