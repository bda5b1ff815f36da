package dev.relay.ingest;

import dev.relay.core.aws.AwsClients;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * A secret's current value from Secrets Manager through Powertools, cached for five minutes per execution environment
 * (a rotated secret is picked up within five minutes; send both signatures meanwhile). The client is built on first
 * use, so requests that need no secret never reach Secrets Manager. The value is never logged.
 */
final class SecretsManagerSecret implements Supplier<String> {

    private final String secretId;
    private SecretsProvider provider;

    SecretsManagerSecret(String secretId) {
        this.secretId = secretId;
    }

    @Override
    public synchronized String get() {
        if (provider == null) {
            provider = SecretsProvider.builder().withClient(AwsClients.build(SecretsManagerClient.builder())).build();
        }
        return provider.withMaxAge(5, ChronoUnit.MINUTES).get(secretId);
    }

    @Override
    public String toString() {
        return "SecretsManagerSecret[" + secretId + "]";
    }
}
