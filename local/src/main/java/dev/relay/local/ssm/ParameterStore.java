package dev.relay.local.ssm;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * SSM Parameter Store, in memory: enough for functions that read their secrets by name on start-up (the same code
 * path as on AWS), and for {@code aws ssm put-parameter} against the edge. Values are never logged.
 */
public final class ParameterStore {

    /** One stored parameter. {@code type} is {@code String}, {@code StringList} or {@code SecureString}. */
    public record Parameter(String name, String type, String value, long version, Instant lastModified) {

        @Override
        public String toString() {
            return "Parameter[name=" + name + ", type=" + type + ", version=" + version + "]";
        }
    }

    private final ConcurrentMap<String, Parameter> parameters = new ConcurrentHashMap<>();

    /**
     * Creates or (with {@code overwrite}) replaces a parameter.
     *
     * @return the new version
     * @throws IllegalArgumentException naming the problem (bad name or type, exists without overwrite)
     */
    public long put(String name, String type, String value, boolean overwrite) {
        validate(name, type, value);
        Parameter stored = parameters.compute(name, (key, previous) -> {
            if (previous != null && !overwrite) {
                throw new ParameterException("ParameterAlreadyExists",
                        "The parameter already exists. To overwrite this value, set the overwrite option in the "
                                + "request to true.");
            }
            long version = previous == null ? 1 : previous.version() + 1;
            return new Parameter(name, type, value, version, Instant.now());
        });
        return stored.version();
    }

    public Optional<Parameter> get(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    public boolean delete(String name) {
        return parameters.remove(name) != null;
    }

    private static void validate(String name, String type, String value) {
        if (name == null || name.isBlank() || name.length() > 2048 || !name.matches("[a-zA-Z0-9_.\\-/]+")) {
            throw new ParameterException("ValidationException", "Parameter name '" + name
                    + "' must be 1-2048 characters of letters, digits, '_', '.', '-' and '/'");
        }
        if (!type.equals("String") && !type.equals("StringList") && !type.equals("SecureString")) {
            throw new ParameterException("ValidationException",
                    "Parameter type '" + type + "' must be String, StringList or SecureString");
        }
        if (value == null || value.isEmpty()) {
            throw new ParameterException("ValidationException", "Parameter " + name + " needs a non-empty value");
        }
    }

    /** An SSM error: {@code code} is the error type AWS returns ({@code ParameterNotFound}, ...). */
    public static final class ParameterException extends IllegalArgumentException {

        private final String code;

        public ParameterException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
