/** The local cloud: runs a SAM template on one machine with no Docker and no AWS account. */
package dev.relay.local;
