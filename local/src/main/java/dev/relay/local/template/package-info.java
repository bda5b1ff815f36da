/**
 * Reads a SAM/CloudFormation {@code template.yaml} into a resolved model: intrinsic functions evaluated,
 * SAM Globals merged, conditions applied and every resource given the physical ids the local cloud uses.
 */
package dev.relay.local.template;
