package dev.relay.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each broken template fails with a message that says where the problem is and what it is. */
class BadTemplateTest {

    static Stream<Arguments> brokenTemplates() {
        return Stream.of(
                bad("GetAtt of an undeclared resource", """
                        Resources:
                          OpsQueue:
                            Type: AWS::SQS::Queue
                            Properties:
                              RedrivePolicy:
                                deadLetterTargetArn: !GetAtt OpsDLQ.Arn
                                maxReceiveCount: 3
                        """, Map.of(),
                        "Resources.OpsQueue.Properties.RedrivePolicy.deadLetterTargetArn: "
                                + "Fn::GetAtt refers to unknown resource 'OpsDLQ'"),
                bad("parameter value outside AllowedValues", """
                        Parameters:
                          Stage: {Type: String, Default: dev, AllowedValues: [dev, prod]}
                        Resources:
                          Q: {Type: AWS::SQS::Queue}
                        """, Map.of("Stage", "x"),
                        "Parameters.Stage: value 'x' is not one of AllowedValues [dev, prod]"),
                bad("Ref of an undeclared name", """
                        Resources:
                          Q:
                            Type: AWS::SQS::Queue
                            Properties:
                              QueueName: !Ref Nope
                        """, Map.of(),
                        "Resources.Q.Properties.QueueName: Ref refers to unknown resource or parameter 'Nope'"),
                bad("an attribute the type does not have", """
                        Resources:
                          Q: {Type: AWS::SQS::Queue}
                          T:
                            Type: AWS::SNS::Topic
                            Properties:
                              DisplayName: !GetAtt Q.Foo
                        """, Map.of(),
                        "Resources.T.Properties.DisplayName: Fn::GetAtt: resource 'Q' (AWS::SQS::Queue) has no "
                                + "attribute 'Foo' in the local cloud; it offers [Arn, QueueName, QueueUrl]"),
                bad("StreamArn of a table without a stream", """
                        Resources:
                          Table: {Type: AWS::DynamoDB::Table, Properties: {TableName: t}}
                          F:
                            Type: AWS::Serverless::Function
                            Properties:
                              Environment: {Variables: {S: !GetAtt Table.StreamArn}}
                        """, Map.of(),
                        "Resources.F.Properties.Environment.Variables.S: Fn::GetAtt: resource 'Table' "
                                + "(AWS::DynamoDB::Table) has no attribute 'StreamArn' in the local cloud; "
                                + "the table has no StreamSpecification, so it has no stream"),
                bad("Fn::Select past the end", """
                        Resources:
                          Q:
                            Type: AWS::SQS::Queue
                            Properties:
                              QueueName: !Select [2, [a, b]]
                        """, Map.of(),
                        "Resources.Q.Properties.QueueName: Fn::Select: index 2 is out of bounds for a list of 2 items"),
                bad("resources that refer to each other", """
                        Resources:
                          A:
                            Type: AWS::SQS::Queue
                            Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt B.Arn}}
                          B:
                            Type: AWS::SQS::Queue
                            Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt C.Arn}}
                          C:
                            Type: AWS::SQS::Queue
                            Properties: {QueueName: !Sub "${A.QueueName}-c"}
                        """, Map.of(),
                        "Resources: circular dependency: A -> B -> C -> A"),
                bad("a DependsOn cycle", """
                        Resources:
                          A: {Type: AWS::SQS::Queue, DependsOn: B}
                          B: {Type: AWS::SQS::Queue, DependsOn: [A]}
                        """, Map.of(),
                        "Resources: circular dependency: A -> B -> A"),
                bad("DependsOn an undeclared resource", """
                        Resources:
                          A: {Type: AWS::SQS::Queue, DependsOn: Ghost}
                        """, Map.of(),
                        "Resources.A.DependsOn: unknown resource 'Ghost'"),
                bad("a resource Condition that is not declared", """
                        Resources:
                          A: {Type: AWS::SQS::Queue, Condition: IsProd}
                        """, Map.of(),
                        "Resources.A.Condition: unknown condition 'IsProd'; Conditions declares []"),
                bad("conditions that refer to each other", """
                        Conditions:
                          One: !Not [!Condition Two]
                          Two: !Not [!Condition One]
                        Resources:
                          A: {Type: AWS::SQS::Queue, Condition: One}
                        """, Map.of(),
                        "Conditions: circular condition reference: One -> Two -> One"),
                bad("a Ref to a resource its condition removed", """
                        Conditions:
                          Never: !Equals [a, b]
                        Resources:
                          Gone: {Type: AWS::SQS::Queue, Condition: Never}
                          T:
                            Type: AWS::SNS::Topic
                            Properties: {DisplayName: !Ref Gone}
                        """, Map.of(),
                        "Resources.T.Properties.DisplayName: Ref refers to resource 'Gone', which is omitted because "
                                + "its Condition 'Never' is false"),
                bad("FindInMap with a missing key", """
                        Mappings:
                          Sizes: {dev: {Memory: 512}}
                        Resources:
                          F:
                            Type: AWS::Serverless::Function
                            Properties: {MemorySize: !FindInMap [Sizes, prod, Memory]}
                        """, Map.of(),
                        "Resources.F.Properties.MemorySize: Fn::FindInMap: key 'prod' is not in Mappings.Sizes"),
                bad("a parameter with no value", """
                        Parameters:
                          ApiKey: {Type: String}
                        Resources:
                          A: {Type: AWS::SQS::Queue}
                        """, Map.of(),
                        "Parameters.ApiKey: no value: the parameter has no Default and no override was given"),
                bad("an override for an undeclared parameter", """
                        Parameters:
                          Stage: {Type: String, Default: dev}
                        Resources:
                          A: {Type: AWS::SQS::Queue}
                        """, Map.of("Stag", "prod"),
                        "parameterOverrides.Stag: the template declares no parameter 'Stag'; it declares [Stage]"),
                bad("a Number parameter that is not a number", """
                        Parameters:
                          Size: {Type: Number, Default: ten}
                        Resources:
                          A: {Type: AWS::SQS::Queue}
                        """, Map.of(),
                        "Parameters.Size: value 'ten' is not a Number"),
                bad("a misspelt top-level section", """
                        Resource:
                          A: {Type: AWS::SQS::Queue}
                        """, Map.of(),
                        "Resource: unknown top-level section; a template has [AWSTemplateFormatVersion, Conditions, "
                                + "Description, Globals, Mappings, Metadata, Outputs, Parameters, Resources, Rules, Transform]"),
                bad("a Globals section SAM does not have", """
                        Globals:
                          Queue: {VisibilityTimeout: 30}
                        Resources:
                          A: {Type: AWS::SQS::Queue}
                        """, Map.of(),
                        "Globals.Queue: unsupported Globals section; SAM supports [Api, Function, HttpApi, SimpleTable, StateMachine]"),
                bad("a FIFO queue whose name lacks .fifo", """
                        Resources:
                          A: {Type: AWS::SQS::Queue, Properties: {FifoQueue: true, QueueName: orders}}
                        """, Map.of(),
                        "Resources.A.Properties.QueueName: 'orders' must end in '.fifo' because FifoQueue is true"),
                bad("an intrinsic the local cloud cannot evaluate", """
                        Resources:
                          A:
                            Type: AWS::SQS::Queue
                            Properties:
                              QueueName: {"Fn::Cidr": ["10.0.0.0/16", 2, 8]}
                        """, Map.of(),
                        "Resources.A.Properties.QueueName: intrinsic function 'Fn::Cidr' is not supported"),
                bad("Fn::ImportValue from another stack", """
                        Resources:
                          A:
                            Type: AWS::SQS::Queue
                            Properties:
                              QueueName: !ImportValue shared-queue-name
                        """, Map.of(),
                        "Resources.A.Properties.QueueName: Fn::ImportValue 'shared-queue-name' cannot be resolved: "
                                + "the local cloud runs one stack and has no exports to import"),
                bad("Fn::Sub naming nothing declared", """
                        Resources:
                          A:
                            Type: AWS::SQS::Queue
                            Properties:
                              QueueName: !Sub "${Prefix}-queue"
                        """, Map.of(),
                        "Resources.A.Properties.QueueName: Fn::Sub ${Prefix} refers to unknown resource or parameter 'Prefix'"),
                bad("a resource without a Type", """
                        Resources:
                          A:
                            Properties: {QueueName: a}
                        """, Map.of(),
                        "Resources.A.Type: missing; every resource needs a Type"),
                bad("a template without resources", """
                        Description: nothing
                        """, Map.of(),
                        "Resources: a template needs at least one resource"),
                bad("a transform other than SAM", """
                        Transform: AWS::LanguageExtensions
                        Resources:
                          A: {Type: AWS::SQS::Queue}
                        """, Map.of(),
                        "Transform: 'AWS::LanguageExtensions' is not supported; the local cloud knows [AWS::Serverless-2016-10-31]"),
                bad("an unknown short-form tag", """
                        Resources:
                          A:
                            Type: AWS::SQS::Queue
                            Properties:
                              QueueName: !Reff Stage
                        """, Map.of(),
                        "template.yaml: line 5, column 18: YAML: unknown tag '!Reff'; CloudFormation short forms are "
                                + "[!And, !Base64, !Cidr, !Condition, !Equals, !FindInMap, !GetAZs, !GetAtt, !If, "
                                + "!ImportValue, !Join, !Length, !Not, !Or, !Ref, !Select, !Split, !Sub, !ToJsonString, !Transform]"),
                bad("broken YAML indentation", """
                        Resources:
                          A:
                            Type: AWS::SQS::Queue
                           Properties: {}
                        """, Map.of(),
                        "template.yaml: line 4, column 4: YAML: expected <block end>, but found '<block mapping start>'"),
                bad("a key given twice", """
                        Resources:
                          A: {Type: AWS::SQS::Queue}
                          A: {Type: AWS::SNS::Topic}
                        """, Map.of(),
                        "template.yaml: line 3, column 3: YAML: found duplicate key A"));
    }

    static Arguments bad(String what, String yaml, Map<String, String> overrides, String message) {
        return Arguments.of(what, yaml, overrides, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenTemplates")
    void failsNamingWhereAndWhat(String what, String yaml, Map<String, String> overrides, String message) {
        TemplateException error = assertThrows(TemplateException.class, () -> Template.parse(yaml, "template.yaml",
                Path.of("."), new StackContext("s", "eu-west-1", "123456789012", overrides), new DefaultPhysicalIds()));

        assertThat(error.getMessage()).isEqualTo(message);
    }
}
