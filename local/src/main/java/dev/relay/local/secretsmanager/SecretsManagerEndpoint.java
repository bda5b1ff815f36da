package dev.relay.local.secretsmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import dev.relay.local.secretsmanager.SecretStore.Secret;
import dev.relay.local.secretsmanager.SecretStore.SecretsException;
import dev.relay.local.secretsmanager.SecretStore.Version;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Secrets Manager's JSON 1.1 protocol for what functions and users need: {@code GetSecretValue}, {@code CreateSecret},
 * {@code PutSecretValue}, {@code DeleteSecret} and {@code DescribeSecret}. Anything else is answered with a clear
 * {@code InvalidAction}. Values travel only in {@code GetSecretValue} answers, never in logs.
 */
public final class SecretsManagerEndpoint implements Endpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String CURRENT = "AWSCURRENT";
    private static final String PREVIOUS = "AWSPREVIOUS";
    private static final String SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretStore store;
    private final String region;
    private final String accountId;

    public SecretsManagerEndpoint(SecretStore store, String region, String accountId) {
        this.store = store;
        this.region = region;
        this.accountId = accountId;
    }

    /** The ARN AWS would give a secret: its name and a random six-character suffix. */
    public static String arn(String region, String accountId, String name, String suffix) {
        return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:" + name + "-" + suffix;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        String action = request.header("x-amz-target").map(t -> t.substring(t.indexOf('.') + 1)).orElse("");
        JsonNode body;
        try {
            body = request.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(request.body());
        } catch (IOException e) {
            return EdgeResponse.awsJsonError(400, "SerializationException", "request body is not JSON: " + e.getMessage());
        }
        try {
            return switch (action) {
                case "GetSecretValue" -> getSecretValue(body);
                case "CreateSecret" -> createSecret(body);
                case "PutSecretValue" -> putSecretValue(body);
                case "DeleteSecret" -> {
                    Secret deleted = store.delete(required(body, "SecretId"),
                            body.path("ForceDeleteWithoutRecovery").asBoolean(false));
                    long days = body.path("ForceDeleteWithoutRecovery").asBoolean(false) ? 0
                            : body.path("RecoveryWindowInDays").asLong(30);
                    yield ok(named(deleted).put("DeletionDate", seconds(deleted.deleted().orElseThrow()
                            .plusSeconds(days * 86_400))));
                }
                case "DescribeSecret" -> describe(store.find(required(body, "SecretId"))
                        .orElseThrow(SecretStore::notFound));
                default -> EdgeResponse.awsJsonError(400, "InvalidAction", "Secrets Manager action '" + action
                        + "' is not emulated locally (GetSecretValue, CreateSecret, PutSecretValue, DeleteSecret, "
                        + "DescribeSecret are)");
            };
        } catch (SecretsException e) {
            return EdgeResponse.awsJsonError(400, e.code(), e.getMessage());
        }
    }

    private EdgeResponse getSecretValue(JsonNode body) {
        Secret secret = store.live(required(body, "SecretId"));
        String stage = body.path("VersionStage").asText(CURRENT);
        Optional<String> versionId = Optional.ofNullable(body.get("VersionId")).map(JsonNode::asText);
        Optional<Version> version = versionId.isPresent()
                ? secret.current().filter(v -> v.id().equals(versionId.get()))
                        .or(() -> secret.previous().filter(v -> v.id().equals(versionId.get())))
                : stage.equals(CURRENT) ? secret.current() : stage.equals(PREVIOUS) ? secret.previous() : Optional.empty();
        Version value = version.orElseThrow(() -> new SecretsException("ResourceNotFoundException",
                "Secrets Manager can't find the specified secret value for " + versionId.map(id -> "VersionId: " + id)
                        .orElse("staging label: " + stage)));
        ObjectNode answer = named(secret).put("VersionId", value.id()).put("CreatedDate", seconds(value.created()));
        if (value.string() != null) {
            answer.put("SecretString", value.string());
        } else {
            answer.put("SecretBinary", Base64.getEncoder().encodeToString(value.binary()));
        }
        answer.putArray("VersionStages").add(secret.current().filter(value::equals).isPresent() ? CURRENT : PREVIOUS);
        return ok(answer);
    }

    private EdgeResponse createSecret(JsonNode body) {
        String name = required(body, "Name");
        Optional<Version> value = value(body);
        Secret secret = store.create(arn(region, accountId, name, suffix()), name, body.path("Description").asText(null),
                value);
        ObjectNode answer = named(secret);
        secret.current().ifPresent(v -> answer.put("VersionId", v.id()));
        return ok(answer);
    }

    private EdgeResponse putSecretValue(JsonNode body) {
        String id = required(body, "SecretId");
        Version value = value(body).orElseThrow(() -> new SecretsException("InvalidRequestException",
                "You must provide either SecretString or SecretBinary."));
        Secret secret = store.put(id, value);
        ObjectNode answer = named(secret).put("VersionId", value.id());
        answer.putArray("VersionStages").add(CURRENT);
        return ok(answer);
    }

    private EdgeResponse describe(Secret secret) {
        ObjectNode answer = named(secret).put("CreatedDate", seconds(secret.created()));
        if (secret.description() != null) {
            answer.put("Description", secret.description());
        }
        secret.deleted().ifPresent(when -> answer.put("DeletedDate", seconds(when)));
        ObjectNode stages = answer.putObject("VersionIdsToStages");
        secret.current().ifPresent(v -> stages.putArray(v.id()).add(CURRENT));
        secret.previous().ifPresent(v -> stages.putArray(v.id()).add(PREVIOUS));
        return ok(answer);
    }

    private static Optional<Version> value(JsonNode body) {
        String versionId = body.hasNonNull("ClientRequestToken") ? body.get("ClientRequestToken").asText() : null;
        if (body.hasNonNull("SecretString") && body.hasNonNull("SecretBinary")) {
            throw new SecretsException("InvalidParameterException",
                    "You can't specify both a binary secret value and a string secret value in the same secret.");
        }
        if (body.hasNonNull("SecretString")) {
            return Optional.of(SecretStore.version(versionId, body.get("SecretString").asText(), null));
        }
        if (body.hasNonNull("SecretBinary")) {
            try {
                return Optional.of(SecretStore.version(versionId, null,
                        Base64.getDecoder().decode(body.get("SecretBinary").asText())));
            } catch (IllegalArgumentException e) {
                throw new SecretsException("InvalidParameterException", "SecretBinary is not base64");
            }
        }
        return Optional.empty();
    }

    private static ObjectNode named(Secret secret) {
        return JSON.createObjectNode().put("ARN", secret.arn()).put("Name", secret.name());
    }

    private static String required(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new SecretsException("InvalidParameterException", "1 validation error detected: Value null at '"
                    + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value.asText();
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static String suffix() {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private static EdgeResponse ok(ObjectNode body) {
        return EdgeResponse.of(200, CONTENT_TYPE, body.toString());
    }
}
