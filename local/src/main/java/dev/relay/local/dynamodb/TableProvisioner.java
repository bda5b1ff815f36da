package dev.relay.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.TemplateException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates the template's tables in DynamoDB Local. CloudFormation's {@code AWS::DynamoDB::Table} properties are, with
 * a few renames, DynamoDB's own {@code CreateTable} request, so they are sent as JSON on DynamoDB's wire protocol
 * rather than rebuilt field by field. A table that already exists (a persistent {@code --data-dir}) is kept.
 */
public final class TableProvisioner {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Properties that are CreateTable parameters as they are. */
    private static final List<String> PASSED_THROUGH = List.of("TableName", "AttributeDefinitions", "KeySchema",
            "BillingMode", "ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "TableClass",
            "DeletionProtectionEnabled");

    /** Properties with no local effect: backups, encryption keys, tags, streams to Kinesis, imports, ... */
    private static final Set<String> NO_LOCAL_EFFECT = Set.of("SSESpecification", "PointInTimeRecoverySpecification",
            "Tags", "ContributorInsightsSpecification", "KinesisStreamSpecification", "ImportSourceSpecification",
            "ResourcePolicy", "OnDemandThroughput", "WarmThroughput", "TimeToLiveSpecification",
            "StreamSpecification");

    private final URI endpoint;
    private final String region;
    private final HttpClient http = HttpClient.newHttpClient();

    public TableProvisioner(URI endpoint, String region) {
        this.endpoint = endpoint;
        this.region = region;
    }

    /** Creates every table (and its TTL setting); names the resource and property DynamoDB refused. */
    public void create(List<Resource> tables) throws TemplateException {
        for (Resource table : tables) {
            ObjectNode request = table.type().equals(ResourceTypes.SERVERLESS_SIMPLE_TABLE)
                    ? simpleTable(table) : table(table);
            JsonNode answer = call(table, "CreateTable", request);
            if (answer.path("__type").asText().endsWith("ResourceInUseException")) {
                continue; // kept from a previous run in the data directory
            }
            failOnError(table, "CreateTable", answer);
            if (table.property("TimeToLiveSpecification.Enabled").map(v -> Boolean.parseBoolean(v.toString()))
                    .orElse(false)) {
                ObjectNode ttl = JSON.createObjectNode().put("TableName", table.physicalName());
                ttl.putObject("TimeToLiveSpecification").put("Enabled", true).put("AttributeName",
                        table.property("TimeToLiveSpecification.AttributeName").map(Object::toString).orElse(""));
                failOnError(table, "UpdateTimeToLive", call(table, "UpdateTimeToLive", ttl));
            }
        }
    }

    private static ObjectNode table(Resource table) throws TemplateException {
        ObjectNode request = JSON.createObjectNode();
        for (Map.Entry<String, Object> property : table.properties().entrySet()) {
            String name = property.getKey();
            if (PASSED_THROUGH.contains(name)) {
                request.set(name, JSON.valueToTree(property.getValue()));
            } else if (!NO_LOCAL_EFFECT.contains(name)) {
                throw new TemplateException("Resources." + table.logicalId() + ".Properties." + name,
                        "is not an AWS::DynamoDB::Table property the local cloud knows");
            }
        }
        request.put("TableName", table.physicalName());
        table.property("StreamSpecification.StreamViewType").ifPresent(view -> request.putObject("StreamSpecification")
                .put("StreamEnabled", true).put("StreamViewType", view.toString()));
        if (!request.has("BillingMode")) {
            request.put("BillingMode", request.has("ProvisionedThroughput") ? "PROVISIONED" : "PAY_PER_REQUEST");
        }
        return request;
    }

    /** SAM's SimpleTable: one string (or {@code PrimaryKey.Type}) hash key, {@code id} by default. */
    private static ObjectNode simpleTable(Resource table) {
        String key = table.property("PrimaryKey.Name").map(Object::toString).orElse("id");
        String type = table.property("PrimaryKey.Type").map(Object::toString)
                .map(t -> t.equals("Number") ? "N" : t.equals("Binary") ? "B" : "S").orElse("S");
        ObjectNode request = JSON.createObjectNode().put("TableName", table.physicalName());
        request.putArray("AttributeDefinitions").addObject().put("AttributeName", key).put("AttributeType", type);
        request.putArray("KeySchema").addObject().put("AttributeName", key).put("KeyType", "HASH");
        if (table.property("ProvisionedThroughput").isPresent()) {
            request.set("ProvisionedThroughput", JSON.valueToTree(table.property("ProvisionedThroughput").get()));
        } else {
            request.put("BillingMode", "PAY_PER_REQUEST");
        }
        return request;
    }

    private JsonNode call(Resource table, String action, ObjectNode body) throws TemplateException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("X-Amz-Target", "DynamoDB_20120810." + action)
                .header("Content-Type", "application/x-amz-json-1.0")
                // DynamoDB Local reads, but does not verify, the signature; its access key must be letters and digits only.
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=relaylocal/20260101/" + region
                        + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        try {
            return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new TemplateException("Resources." + table.logicalId(), "DynamoDB Local did not answer "
                    + action + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TemplateException("Resources." + table.logicalId(), "interrupted during " + action, e);
        }
    }

    private static void failOnError(Resource table, String action, JsonNode answer) throws TemplateException {
        if (answer.has("__type")) {
            String type = answer.path("__type").asText();
            throw new TemplateException("Resources." + table.logicalId(), "DynamoDB refused " + action + " for "
                    + table.physicalName() + ": " + type.substring(type.indexOf('#') + 1) + ": "
                    + answer.path("message").asText(answer.path("Message").asText()));
        }
    }
}
