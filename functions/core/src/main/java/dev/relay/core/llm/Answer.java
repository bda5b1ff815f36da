package dev.relay.core.llm;

/** A model's answer and the record of the call that produced it. */
public record Answer<T>(T value, LlmCall call) {}
