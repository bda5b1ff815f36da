package dev.relay.local.edge;

import java.util.Locale;
import java.util.Optional;

/** The services the edge port answers for, with the names AWS uses for them on the wire. */
public enum AwsService {
    SQS("sqs", "AmazonSQS."),
    SNS("sns", "AmazonSimpleNotificationService."),
    DYNAMODB("dynamodb", "DynamoDB_20120810."),
    LAMBDA("lambda", null),
    STEP_FUNCTIONS("states", "AWSStepFunctions."),
    SSM("ssm", "AmazonSSM."),
    SECRETS_MANAGER("secretsmanager", "secretsmanager."),
    /** Not AWS: the offline OpenAI-compatible model under {@code /v1}. */
    MODEL("openai", null);

    private final String signingName;
    private final String targetPrefix;

    AwsService(String signingName, String targetPrefix) {
        this.signingName = signingName;
        this.targetPrefix = targetPrefix;
    }

    /** The service name in a SigV4 credential scope ({@code .../us-east-1/sqs/aws4_request}). */
    public String signingName() {
        return signingName;
    }

    static Optional<AwsService> bySigningName(String name) {
        for (AwsService service : values()) {
            if (service.signingName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }

    static Optional<AwsService> byTarget(String target) {
        if (target.startsWith("DynamoDBStreams_20120810.")) {
            return Optional.of(DYNAMODB);
        }
        for (AwsService service : values()) {
            if (service.targetPrefix != null && target.startsWith(service.targetPrefix)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
