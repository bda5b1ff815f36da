package dev.relay.core.aws;

import dev.relay.core.llm.LlmSettings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;
import software.amazon.lambda.powertools.parameters.ssm.SSMProvider;

/** Secrets on AWS: SSM SecureStrings and Secrets Manager through Powertools (cached), clients built on first use. */
public final class AwsSecretStore implements LlmSettings.SecretStore {

    @Override
    public String parameter(String name) {
        return SSMProvider.builder().withClient(AwsClients.build(SsmClient.builder())).build()
                .withDecryption().get(name);
    }

    @Override
    public String secret(String name) {
        return SecretsProvider.builder().withClient(AwsClients.build(SecretsManagerClient.builder())).build()
                .get(name);
    }
}
