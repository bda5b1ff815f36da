package dev.relay.local.stepfunctions;

/** DescribeExecution's status values. */
public enum ExecutionStatus { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED }
