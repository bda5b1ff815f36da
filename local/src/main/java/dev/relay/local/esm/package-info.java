/**
 * Lambda's SQS event source mappings, run locally: pollers that receive from an (ElasticMQ) queue the way
 * Lambda's pollers do, invoke a function through {@link dev.relay.local.lambda.FunctionInvoker} with the event
 * Lambda would send, and delete exactly what Lambda would delete.
 */
package dev.relay.local.esm;
