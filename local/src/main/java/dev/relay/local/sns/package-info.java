/**
 * The local cloud's SNS. {@link dev.relay.local.sns.SnsService} holds topics and {@code sqs}/{@code lambda}
 * subscriptions in memory and publishes (filter policies, raw or enveloped SQS delivery through a
 * {@link dev.relay.local.sns.QueueSender}, the SNS event to Lambda through the local FunctionInvoker);
 * {@link dev.relay.local.sns.SnsEndpoint} serves it over SNS's AWS query protocol for the SDKs and the AWS CLI.
 */
package dev.relay.local.sns;
