package dev.relay.local.template;

/** A resource left out because its {@code Condition} is false for these parameters. */
public record OmittedResource(String logicalId, String type, String condition) {
}
