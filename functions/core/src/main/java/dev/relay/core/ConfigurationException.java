package dev.relay.core;

/** A function's configuration is missing or wrong; the message names the variable and what it must be. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }
}
