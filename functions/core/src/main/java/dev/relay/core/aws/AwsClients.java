package dev.relay.core.aws;

import dev.relay.core.ConfigurationException;
import java.util.List;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds SDK clients the way every Relay function needs them, once per execution environment: the
 * url-connection HTTP client (small, fast to start), region from {@code AWS_REGION}, credentials from the
 * environment Lambda provides. The endpoint is left to the SDK, which reads {@code AWS_ENDPOINT_URL} and
 * {@code AWS_ENDPOINT_URL_<SERVICE>}: that is how the same jar talks to the local cloud.
 */
public final class AwsClients {

    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();

    private AwsClients() {}

    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return build(builder, region());
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder, Region region) {
        return builder.httpClient(HTTP)
                .region(region)
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .build();
    }

    /**
     * SnapStart priming: builds (and closes) a client of each service every function uses, with the same HTTP client
     * and credentials provider, so the SDK's client machinery is loaded before the snapshot. No request is made.
     */
    public static void prime() {
        // The region is irrelevant (no call is made): the functions' own clients use AWS_REGION.
        List<SdkClient> clients = List.of(build(DynamoDbClient.builder(), Region.US_EAST_1),
                build(SnsClient.builder(), Region.US_EAST_1), build(SqsClient.builder(), Region.US_EAST_1));
        clients.forEach(SdkClient::close);
    }

    public static Region region() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new ConfigurationException("AWS_REGION is not set (Lambda sets it; locally, export AWS_REGION=us-east-1)");
        }
        return Region.of(region);
    }
}
