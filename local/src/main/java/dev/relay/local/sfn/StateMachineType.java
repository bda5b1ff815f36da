package dev.relay.local.sfn;

/** A state machine's type: STANDARD executions are durable and idempotent by name; EXPRESS ones can run synchronously. */
public enum StateMachineType { STANDARD, EXPRESS }
