package dev.relay.local.sns;

/** What Publish answers: the message id, and for FIFO topics the sequence number (null otherwise). */
public record Published(String messageId, String sequenceNumber) {
}
