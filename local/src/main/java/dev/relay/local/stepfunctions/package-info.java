/**
 * Amazon States Language interpreter for the local cloud: definition parsing and validation, JSONPath-mode
 * execution of every state type, intrinsic functions, Retry/Catch, task tokens and execution history.
 * Engine only, free of AWS SDKs: the service integrations plug in through {@link
 * dev.relay.local.stepfunctions.TaskInvoker}, and {@link dev.relay.local.sfn} puts state machines, integrations and the
 * Step Functions API on the local cloud.
 */
package dev.relay.local.stepfunctions;
