/**
 * Amazon States Language interpreter for the local cloud: definition parsing and validation, JSONPath-mode
 * execution of every state type, intrinsic functions, Retry/Catch, task tokens and execution history.
 * Engine only: the Step Functions HTTP API and the service integrations plug in through {@link
 * dev.relay.local.stepfunctions.TaskInvoker}.
 */
package dev.relay.local.stepfunctions;
