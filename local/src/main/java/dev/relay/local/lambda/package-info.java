/**
 * The local cloud's Lambda: each function runs in JVMs of its own with the official runtime interface client, against
 * this package's implementation of the Lambda Runtime API ({@link dev.relay.local.lambda.LambdaService}); the Invoke
 * REST API serves it to the AWS SDK and CLI ({@link dev.relay.local.lambda.LambdaEndpoint}); event sources reach it
 * through {@link dev.relay.local.lambda.FunctionInvoker}.
 */
package dev.relay.local.lambda;
