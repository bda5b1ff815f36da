/** The local cloud's SNS: subscription filter policies and the messages SNS delivers to SQS. */
package dev.relay.local.sns;
