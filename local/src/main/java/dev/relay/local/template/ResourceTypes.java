package dev.relay.local.template;

import java.util.Set;

/** The CloudFormation and SAM resource types the template loader knows by name. */
public final class ResourceTypes {
    public static final String SQS_QUEUE = "AWS::SQS::Queue";
    public static final String SNS_TOPIC = "AWS::SNS::Topic";
    public static final String SNS_SUBSCRIPTION = "AWS::SNS::Subscription";
    public static final String DYNAMODB_TABLE = "AWS::DynamoDB::Table";
    public static final String SERVERLESS_FUNCTION = "AWS::Serverless::Function";
    public static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
    public static final String EVENT_SOURCE_MAPPING = "AWS::Lambda::EventSourceMapping";
    public static final String SERVERLESS_STATE_MACHINE = "AWS::Serverless::StateMachine";
    public static final String STATE_MACHINE = "AWS::StepFunctions::StateMachine";
    public static final String SERVERLESS_HTTP_API = "AWS::Serverless::HttpApi";
    public static final String SERVERLESS_API = "AWS::Serverless::Api";
    public static final String SERVERLESS_SIMPLE_TABLE = "AWS::Serverless::SimpleTable";
    public static final String IAM_ROLE = "AWS::IAM::Role";
    public static final String KMS_KEY = "AWS::KMS::Key";
    public static final String LOG_GROUP = "AWS::Logs::LogGroup";
    public static final String CLOUDWATCH_ALARM = "AWS::CloudWatch::Alarm";
    public static final String SECRETS_MANAGER_SECRET = "AWS::SecretsManager::Secret";

    /** What the local cloud runs; every other type is reported by {@link Template#notEmulated()}. */
    public static final Set<String> EMULATED = Set.of(SQS_QUEUE, SNS_TOPIC, SNS_SUBSCRIPTION, DYNAMODB_TABLE,
            SERVERLESS_FUNCTION, LAMBDA_FUNCTION, EVENT_SOURCE_MAPPING, SERVERLESS_STATE_MACHINE, STATE_MACHINE,
            SERVERLESS_HTTP_API, SERVERLESS_API, SERVERLESS_SIMPLE_TABLE, SECRETS_MANAGER_SECRET);

    public static final Set<String> FUNCTIONS = Set.of(SERVERLESS_FUNCTION, LAMBDA_FUNCTION);
    public static final Set<String> STATE_MACHINES = Set.of(SERVERLESS_STATE_MACHINE, STATE_MACHINE);
    public static final Set<String> TABLES = Set.of(DYNAMODB_TABLE, SERVERLESS_SIMPLE_TABLE);

    private ResourceTypes() {
    }

    public static boolean isEmulated(String type) {
        return EMULATED.contains(type);
    }
}
