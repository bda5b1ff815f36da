package dev.relay.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.local.lambda.FunctionSpec;
import dev.relay.local.lambda.LambdaService;
import dev.relay.local.lambda.TestFunctions;
import dev.relay.local.sns.SnsEnvelope;
import dev.relay.local.sns.SnsService;
import dev.relay.local.stepfunctions.EngineClock;
import dev.relay.local.template.DefaultPhysicalIds;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * State machines from the template: created as CreateStateMachine would create them, or refused at start-up with the
 * resource, the property and the state named. No function runs here: resources are only checked.
 */
class TemplateStateMachinesTest {

    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "000000000000";

    private final LambdaService lambda = new LambdaService(LambdaService.Settings.defaults(REGION, ACCOUNT));
    private final SnsService sns = new SnsService(REGION, ACCOUNT, message -> { }, lambda, new SnsEnvelope());
    private final StepFunctionsService service = new StepFunctionsService(REGION, ACCOUNT,
            new ServiceIntegrations(lambda, sns, URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"),
                    REGION), EngineClock.system());

    TemplateStateMachinesTest() {
        lambda.register(FunctionSpec.of("charge-card", "dev.relay.local.lambda.testfn.Echo", TestFunctions.jar(),
                Map.of(), REGION, ACCOUNT));
    }

    @AfterEach
    void close() {
        service.close();
        sns.close();
        lambda.close();
    }

    private List<StateMachine> create(String resources) throws TemplateException {
        String text = """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                """ + resources.indent(2);
        Template template = Template.parse(text, "test.yaml", Path.of("src/test/resources/templates"),
                StackContext.of("shop", REGION, ACCOUNT), new DefaultPhysicalIds());
        return TemplateStateMachines.create(template, service);
    }

    @Test
    void bothResourceTypesBecomeStateMachinesWithTheTemplatesNamesAndTypes() throws Exception {
        List<StateMachine> machines = create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Type: EXPRESS
                    Definition:
                      StartAt: Charge
                      States:
                        Charge: {Type: Task, Resource: "${ChargeArn}", End: true}
                    DefinitionSubstitutions:
                      ChargeArn: arn:aws:lambda:us-east-1:000000000000:function:charge-card
                Classic:
                  Type: AWS::StepFunctions::StateMachine
                  Properties:
                    StateMachineName: classic
                    RoleArn: arn:aws:iam::000000000000:role/classic
                    DefinitionString: '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'
                """);

        assertThat(machines).extracting(StateMachine::type)
                .containsExactly(StateMachineType.EXPRESS, StateMachineType.STANDARD);
        assertThat(machines.get(0).name()).startsWith("shop-Saga-");
        assertThat(machines.get(0).definitionText()).contains("function:charge-card");
        assertThat(machines.get(1).arn()).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:classic");
        assertThat(machines.get(1).roleArn()).isEqualTo("arn:aws:iam::000000000000:role/classic");
        assertThat(service.stateMachines()).hasSize(2);
    }

    @Test
    void aTaskCallingAFunctionThatDoesNotExistStopsTheStartNamingTheState() {
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Definition:
                      StartAt: Fulfil
                      States:
                        Fulfil:
                          Type: Parallel
                          End: true
                          Branches:
                            - StartAt: Charge
                              States:
                                Charge:
                                  Type: Task
                                  Resource: arn:aws:lambda:us-east-1:000000000000:function:chrage-card
                                  End: true
                """)).isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.location()).isEqualTo("Resources.Saga.Properties.Definition");
                    assertThat(e.problem()).contains("States.Fulfil.Branches[0].States.Charge.Resource: Lambda "
                            + "function 'arn:aws:lambda:us-east-1:000000000000:function:chrage-card' does not exist")
                            .contains("charge-card");
                });
    }

    @Test
    void lambdaInvokeNeedsAFunctionNameThatExists() {
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Definition:
                      StartAt: Charge
                      States:
                        Charge:
                          Type: Task
                          Resource: arn:aws:states:::lambda:invoke
                          Parameters: {FunctionName: refund-card, Payload.$: $}
                          Next: Notify
                        Notify:
                          Type: Task
                          Resource: arn:aws:states:::sns:publish
                          Parameters: {Message.$: $}
                          End: true
                """)).isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.problem())
                .contains("States.Charge.Parameters.FunctionName: function 'refund-card' does not exist")
                .contains("States.Notify.Parameters.TopicArn: required by arn:aws:states:::sns:publish"));
    }

    @Test
    void integrationsTheLocalCloudDoesNotRunAreRefused() {
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Definition:
                      StartAt: Archive
                      States:
                        Archive: {Type: Task, Resource: "arn:aws:states:::s3:putObject", End: true}
                """)).isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.problem())
                .contains("States.Archive.Resource: 'arn:aws:states:::s3:putObject' is not a service integration "
                        + "the local cloud runs"));
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Definition:
                      StartAt: Save
                      States:
                        Save:
                          Type: Task
                          Resource: arn:aws:states:::dynamodb:putItem.waitForTaskToken
                          Parameters: {TableName: t}
                          End: true
                """)).isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.problem())
                .contains("States.Save.Resource"));
    }

    @Test
    void expressMachinesCannotWaitForTaskTokens() {
        assertThatThrownBy(() -> create("""
                Quick:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Type: EXPRESS
                    Definition:
                      StartAt: Ask
                      States:
                        Ask:
                          Type: Task
                          Resource: arn:aws:states:::lambda:invoke.waitForTaskToken
                          Parameters: {FunctionName: charge-card, Payload: {token.$: $$.Task.Token}}
                          End: true
                """)).isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.problem())
                .contains("States.Ask.Resource: EXPRESS state machines do not support the .waitForTaskToken"));
    }

    @Test
    void anInvalidDefinitionNamesWhereItIsWrong() {
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    DefinitionUri: statemachine/invoke.asl.json
                """)).isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.location()).isEqualTo("Resources.Saga.Properties.DefinitionSubstitutions");
                    assertThat(e.problem()).contains("${EchoArn}");
                });
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Definition:
                      StartAt: A
                      States:
                        A: {Type: Pass, Next: B}
                """)).isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.problem())
                .contains("States.A.Next: state 'B' does not exist"));
    }

    @Test
    void s3LocationsAndUnknownTypesAreRefusedClearly() {
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::StepFunctions::StateMachine
                  Properties:
                    DefinitionS3Location: {Bucket: defs, Key: saga.json}
                """)).isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.location()).isEqualTo("Resources.Saga.Properties.DefinitionS3Location");
                    assertThat(e.problem()).contains("cannot be read by the local cloud");
                });
        assertThatThrownBy(() -> create("""
                Saga:
                  Type: AWS::Serverless::StateMachine
                  Properties:
                    Type: QUICK
                    Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
                """)).isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.location()).isEqualTo("Resources.Saga.Properties.Type");
                    assertThat(e.problem()).contains("'QUICK' is not STANDARD or EXPRESS");
                });
    }

    @Test
    void samEventsOfAStateMachineAreListedAsNotEmulated() throws Exception {
        Template template = Template.parse("""
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Saga:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
                      Events:
                        Nightly: {Type: Schedule, Properties: {Schedule: rate(1 day)}}
                """, "test.yaml", Path.of("."), StackContext.of("shop", REGION, ACCOUNT), new DefaultPhysicalIds());
        assertThat(template.notEmulated()).singleElement().satisfies(r -> {
            assertThat(r.logicalId()).isEqualTo("Saga.Events.Nightly");
            assertThat(r.type()).isEqualTo("Schedule event of AWS::Serverless::StateMachine");
        });
    }
}
