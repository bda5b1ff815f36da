package dev.relay.local.template;

/** A resource the template declares but the local cloud does not run (alarms, IAM, KMS, ...). */
public record NotEmulated(String logicalId, String type) {
}
