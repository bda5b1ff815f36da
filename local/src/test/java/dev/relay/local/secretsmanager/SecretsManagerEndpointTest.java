package dev.relay.local.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.Clients;
import dev.relay.local.edge.AwsService;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.EdgeRouter;
import dev.relay.local.edge.EdgeServer;
import dev.relay.local.template.DefaultPhysicalIds;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The local Secrets Manager on an edge port, through the AWS SDK's own client (JSON 1.1, X-Amz-Target routing). */
class SecretsManagerEndpointTest {

    private static final String TEMPLATE = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              SecretName: { Type: String, Default: relay/webhook-secret }
            Resources:
              WebhookSecret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  Name: !Ref SecretName
                  GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true }
              DbSecret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  Name: relay/db
                  GenerateSecretString:
                    SecretStringTemplate: '{"username": "relay"}'
                    GenerateStringKey: password
                    PasswordLength: 12
                    ExcludeCharacters: "abcdefghijklmnopqrstuvwxyz"
              Literal:
                Type: AWS::SecretsManager::Secret
                Properties: { Name: relay/literal, SecretString: "s3cr3t" }
              Empty:
                Type: AWS::SecretsManager::Secret
                Properties: { Name: relay/empty }
            Outputs:
              SecretArn: { Value: !Ref WebhookSecret }
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretStore store = new SecretStore();
    private final EdgeServer edge = EdgeServer.start(new InetSocketAddress("127.0.0.1", 0), new EdgeRouter(
            Map.of(AwsService.SECRETS_MANAGER, new SecretsManagerEndpoint(store, "us-east-1", "000000000000")),
            request -> EdgeResponse.json(200, "{}")));
    private final SecretsManagerClient client = Clients.of(SecretsManagerClient.builder(), edge.baseUrl());

    @AfterEach
    void stop() {
        client.close();
        edge.close();
    }

    @Test
    void createGetPutAndDeleteASecret() {
        String arn = client.createSecret(b -> b.name("relay/test").secretString("v1")).arn();
        assertThat(arn).matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:relay/test-[A-Za-z0-9]{6}");

        assertThat(client.getSecretValue(b -> b.secretId("relay/test")).secretString()).isEqualTo("v1");
        client.putSecretValue(b -> b.secretId(arn).secretString("v2"));
        GetSecretValueResponse current = client.getSecretValue(b -> b.secretId(arn));
        assertThat(current.secretString()).isEqualTo("v2");
        assertThat(current.versionStages()).containsExactly("AWSCURRENT");
        assertThat(client.getSecretValue(b -> b.secretId("relay/test").versionStage("AWSPREVIOUS")).secretString())
                .isEqualTo("v1");

        assertThat(client.deleteSecret(b -> b.secretId("relay/test")).deletionDate()).isNotNull();
        assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("relay/test")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("marked for deletion");
        client.deleteSecret(b -> b.secretId("relay/test").forceDeleteWithoutRecovery(true));
        assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("relay/test")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("can't find the specified secret");
    }

    @Test
    void binarySecretsAndErrorsAsAwsAnswersThem() {
        client.createSecret(b -> b.name("relay/bin").secretBinary(SdkBytes.fromUtf8String("\u0001bytes")));
        assertThat(client.getSecretValue(b -> b.secretId("relay/bin")).secretBinary().asUtf8String()).isEqualTo("\u0001bytes");

        assertThatThrownBy(() -> client.createSecret(b -> b.name("relay/bin").secretString("x")))
                .isInstanceOf(ResourceExistsException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.listSecrets()).hasMessageContaining("ListSecrets' is not emulated locally");
    }

    @Test
    void theTemplatesSecretsAreProvisionedUnderTheArnTheirRefResolvesTo() throws Exception {
        Template template = Template.parse(TEMPLATE, "template.yaml", Path.of("."),
                StackContext.of("relay", "us-east-1", "000000000000"), new DefaultPhysicalIds());

        new SecretProvisioner(store).create(template);

        GetSecretValueResponse webhook = client.getSecretValue(b -> b.secretId("relay/webhook-secret"));
        assertThat(webhook.arn()).isEqualTo(template.outputs().get("SecretArn").value())
                .matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:relay/webhook-secret-[A-Za-z0-9]{6}");
        assertThat(webhook.secretString()).matches("[A-Za-z0-9]{48}").matches(".*[a-z].*").matches(".*[A-Z].*")
                .matches(".*[0-9].*");
        assertThat(client.getSecretValue(b -> b.secretId(webhook.arn())).secretString()).isEqualTo(webhook.secretString());
        JsonNode db = JSON.readTree(client.getSecretValue(b -> b.secretId("relay/db")).secretString());
        assertThat(db.get("username").asText()).isEqualTo("relay");
        assertThat(db.get("password").asText()).hasSize(12).matches("[^a-z]+");
        assertThat(client.getSecretValue(b -> b.secretId("relay/literal")).secretString()).isEqualTo("s3cr3t");
        assertThatThrownBy(() -> client.getSecretValue(b -> b.secretId("relay/empty")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("staging label: AWSCURRENT");
    }

    @Test
    void aSecretWithBothAValueAndAGeneratorIsATemplateError() {
        String both = TEMPLATE.replace("ExcludePunctuation: true }", "ExcludePunctuation: true }\n      SecretString: x");

        assertThatThrownBy(() -> new SecretProvisioner(store).create(Template.parse(both, "template.yaml", Path.of("."),
                StackContext.of("relay", "us-east-1", "000000000000"), new DefaultPhysicalIds())))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Resources.WebhookSecret.Properties")
                .hasMessageContaining("not both");
    }
}
