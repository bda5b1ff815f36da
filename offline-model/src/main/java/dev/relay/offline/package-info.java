/**
 * The offline model: a deterministic, OpenAI-compatible chat completions server that answers tests and the
 * local cloud when no OpenAI key is configured. Start with {@link dev.relay.offline.OfflineModelServer}; mount
 * {@link dev.relay.offline.OfflineModel} on another HTTP server.
 */
package dev.relay.offline;
