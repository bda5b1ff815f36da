package dev.relay.cli;

import dev.relay.local.LocalCloud;
import dev.relay.local.LocalCloudOptions;
import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.TemplateException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code relay up}: runs the template on this machine until Ctrl-C. */
@Command(name = "up", description = "Run template.yaml locally (SNS, SQS, DynamoDB, Lambda, ...) until Ctrl-C.",
        footerHeading = "%nExamples:%n",
        footer = {"  relay up                                            # edge on 4566, HTTP API routes on 3000",
                "  relay up --port 4599 --data-dir .relay/data          # other commands: --endpoint http://127.0.0.1:4599",
                "  relay up --parameter-overrides ApprovalTimeoutSeconds=300,OnboardingDeadlineSeconds=60"})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--template", paramLabel = "FILE", description = "SAM template (default: the repository's).")
    Optional<Path> template;

    @Option(names = "--port", paramLabel = "N", defaultValue = "4566",
            description = "Edge port for every AWS API (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "3000",
            description = "Port for HTTP API routes (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep DynamoDB tables and SQS queues with their messages in DIR across runs (default: in memory).")
    Optional<Path> dataDir;

    @Option(names = "--parameter-overrides", paramLabel = "KEY=VALUE", split = ",",
            description = "Template parameter values, as for sam deploy.")
    Map<String, String> overrides = Map.of();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws TemplateException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalCloudOptions options = LocalRun.options(LocalRun.template(template), port, httpPort, dataDir, overrides,
                System.getenv());
        LocalCloud cloud = LocalCloud.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("\nrelay: stopping the local cloud...");
            out.flush();
            cloud.close();
            stopped.countDown();
        }, "relay-stop"));
        describe(cloud, options, out);
        out.flush();
        stopped.await();
        return 0;
    }

    static void describe(LocalCloud cloud, LocalCloudOptions options, PrintWriter out) {
        out.printf("Relay local cloud ready in %d ms (template %s, stack %s)%n", cloud.startup().toMillis(),
                options.template(), options.stackName());
        out.printf("  edge (every AWS API):  %s%n", cloud.edgeUrl());
        out.printf("  model:                 %s%n", options.offlineModel()
                ? "offline model at " + cloud.edgeUrl() + "/v1 (set OPENAI_API_KEY to call OpenAI)"
                : "OpenAI (key from OPENAI_API_KEY, served to functions from local SSM)");
        out.printf("  DynamoDB data:         %s%n", options.dataDir().map(Path::toString).orElse("in memory"));
        out.println("Resources:");
        for (Resource resource : cloud.template().resources()) {
            if (ResourceTypes.isEmulated(resource.type())) {
                out.printf("  %-28s %-30s %s%n", resource.logicalId(), resource.type(), resource.physicalName());
            }
        }
        if (!cloud.template().notEmulated().isEmpty()) {
            out.println("Not emulated (no local effect):");
            cloud.template().notEmulated().forEach(r -> out.printf("  %-28s %s%n", r.logicalId(), r.type()));
        }
        cloud.template().resourcesOfType(ResourceTypes.SNS_TOPIC).stream().findFirst().ifPresent(topic -> {
            out.println("Send an event (any region and credentials work locally):");
            out.printf("  export AWS_REGION=%s AWS_DEFAULT_REGION=%s AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local%n",
                    options.region(), options.region());
            out.printf("  aws --endpoint-url %s sns publish --topic-arn %s \\%n", cloud.edgeUrl(),
                    cloud.template().ref(topic.logicalId()).orElseThrow());
            out.println("      --message file://events/messages/deploy-completed.json \\");
            out.println("      --message-attributes '{\"type\":{\"DataType\":\"String\",\"StringValue\":"
                    + "\"deploy.completed\"}}'");
            String endpoint = cloud.edgeUrl().equals(TargetOptions.DEFAULT_ENDPOINT) ? "" : " --endpoint " + cloud.edgeUrl();
            out.printf("or: ./relay publish deploy-completed%s, then ./relay trace <correlation id>%s (./relay --help)%n",
                    endpoint, endpoint);
        });
        cloud.httpApiUrl().ifPresent(url -> out.printf("HTTP API routes at %s (authorizers are not emulated: IAM routes are "
                + "open locally)%n", url));
        for (Resource secret : cloud.template().resourcesOfType(ResourceTypes.SECRETS_MANAGER_SECRET)) {
            // The name only: the value stays in the local Secrets Manager, as on AWS.
            out.printf("Secret %s: %s (aws --endpoint-url %s secretsmanager get-secret-value --secret-id %s)%n",
                    secret.logicalId(), secret.physicalName(), cloud.edgeUrl(), secret.physicalName());
        }
        cloud.template().resources().stream().filter(r -> ResourceTypes.STATE_MACHINES.contains(r.type()))
                .findFirst().ifPresent(machine -> {
                    out.println("Start a state machine:");
                    out.printf("  aws --endpoint-url %s stepfunctions start-execution --state-machine-arn %s "
                            + "--input '{}'%n", cloud.edgeUrl(), machine.attribute("Arn").orElseThrow());
                });
        out.println("Ctrl-C stops everything.");
    }
}
