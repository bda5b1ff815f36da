/**
 * Step Functions in the local cloud: the state machines of the template, their executions on the ASL engine
 * ({@link dev.relay.local.stepfunctions}), the service integrations their Task states call (Lambda, SNS, SQS,
 * DynamoDB) and the Step Functions API on the edge port.
 */
package dev.relay.local.sfn;
