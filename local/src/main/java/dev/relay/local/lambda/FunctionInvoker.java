package dev.relay.local.lambda;

/**
 * Invokes a function of the local cloud by its name (the physical FunctionName), synchronously, as Lambda's
 * {@code RequestResponse} invocation does. Event sources (SQS mappings, SNS subscriptions, the HTTP API, Step
 * Functions tasks) and the Lambda Invoke API all go through this one port.
 */
@FunctionalInterface
public interface FunctionInvoker {

    /**
     * @param functionName the function's physical name
     * @param payload      the event JSON, UTF-8
     * @return the function's answer, a function error included; never throws for errors of the function itself
     * @throws UnknownFunctionException when no function has that name
     */
    InvocationResult invoke(String functionName, byte[] payload);
}
