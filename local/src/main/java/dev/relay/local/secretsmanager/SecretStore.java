package dev.relay.local.secretsmanager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Secrets Manager, in memory: secrets by name (or ARN), each with its current version ({@code AWSCURRENT}) and the one
 * before ({@code AWSPREVIOUS}). Enough for functions that read a secret with {@code GetSecretValue} (the same code
 * path as on AWS) and for {@code aws secretsmanager create-secret / put-secret-value} against the edge. A deleted
 * secret is kept, marked, as AWS keeps it during its recovery window. Values are never logged or printed.
 */
public final class SecretStore {

    /** One value of a secret: a string, or binary bytes. */
    public record Version(String id, String string, byte[] binary, Instant created) {

        @Override
        public String toString() {
            return "Version[id=" + id + ", created=" + created + "]";
        }
    }

    /** A secret: {@code current} is empty for a secret created without a value. */
    public record Secret(String arn, String name, String description, Instant created, Optional<Version> current,
                         Optional<Version> previous, Optional<Instant> deleted) {

        Secret withValue(Version version) {
            return new Secret(arn, name, description, created, Optional.of(version), current, deleted);
        }

        Secret deletedAt(Instant when) {
            return new Secret(arn, name, description, created, current, previous, Optional.of(when));
        }
    }

    private final ConcurrentMap<String, Secret> secrets = new ConcurrentHashMap<>();

    /**
     * @param value empty for a secret with no value yet
     * @throws SecretsException {@code ResourceExistsException}, or {@code InvalidRequestException} while a secret
     *                          of that name is scheduled for deletion
     */
    public Secret create(String arn, String name, String description, Optional<Version> value) {
        validateName(name);
        Instant now = Instant.now();
        return secrets.compute(name, (key, existing) -> {
            if (existing != null && existing.deleted().isPresent()) {
                throw new SecretsException("InvalidRequestException", "You can't create this secret because a secret "
                        + "with this name is already scheduled for deletion.");
            }
            if (existing != null) {
                throw new SecretsException("ResourceExistsException", "The operation failed because the secret "
                        + name + " already exists.");
            }
            return new Secret(arn, name, description, now, value, Optional.empty(), Optional.empty());
        });
    }

    /** A secret by name or full ARN, deleted or not. */
    public Optional<Secret> find(String id) {
        Secret byName = secrets.get(id);
        if (byName != null) {
            return Optional.of(byName);
        }
        return secrets.values().stream().filter(s -> s.arn().equals(id)).findFirst();
    }

    /** The secret a request names, which must not be scheduled for deletion. */
    public Secret live(String id) {
        Secret secret = find(id).orElseThrow(SecretStore::notFound);
        if (secret.deleted().isPresent()) {
            throw new SecretsException("InvalidRequestException", "You can't perform this operation on the secret "
                    + "because it was marked for deletion.");
        }
        return secret;
    }

    /** Makes {@code value} the current version; the current one becomes the previous. */
    public Secret put(String id, Version value) {
        String name = live(id).name();
        return secrets.computeIfPresent(name, (key, secret) -> secret.withValue(value));
    }

    /** Schedules deletion, or with {@code force} deletes at once (also a secret already scheduled for deletion). */
    public Secret delete(String id, boolean force) {
        Instant now = Instant.now();
        if (force) {
            Secret secret = find(id).orElseThrow(SecretStore::notFound);
            secrets.remove(secret.name());
            return secret.deletedAt(now);
        }
        Secret secret = live(id);
        return secrets.computeIfPresent(secret.name(), (key, s) -> s.deletedAt(now));
    }

    public List<Secret> all() {
        return new ArrayList<>(secrets.values());
    }

    public static Version version(String versionId, String string, byte[] binary) {
        return new Version(versionId == null ? UUID.randomUUID().toString() : versionId, string, binary, Instant.now());
    }

    static SecretsException notFound() {
        return new SecretsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    private static void validateName(String name) {
        if (name == null || name.isEmpty() || name.length() > 512 || !name.matches("[A-Za-z0-9/_+=.@-]+")) {
            throw new SecretsException("InvalidParameterException", "Invalid name. Must be 1-512 characters of "
                    + "letters, digits and /_+=.@- (got '" + name + "')");
        }
    }

    /** A Secrets Manager error: {@code code} is the error type AWS returns. */
    public static final class SecretsException extends IllegalArgumentException {

        private final String code;

        public SecretsException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
