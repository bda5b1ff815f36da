package dev.relay.local.sfn;

/**
 * A state machine's type: STANDARD executions are listed and idempotent by name; EXPRESS ones can run synchronously
 * (StartSyncExecution) and cannot wait for task tokens.
 */
public enum StateMachineType { STANDARD, EXPRESS }
