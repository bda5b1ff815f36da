/** What every Relay function uses: the event envelope, the agent SPI, the LLM gateway, backoff and logging. */
package dev.relay.core;
