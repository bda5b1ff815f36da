package dev.relay.cli;

import dev.relay.local.LocalCloudOptions;
import dev.relay.local.template.TemplateException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --local [--endpoint URL] [--template FILE]} or {@code --stack NAME [--region REGION]}: where a command acts. */
final class TargetOptions {

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:" + LocalCloudOptions.DEFAULT_EDGE_PORT;

    @Option(names = "--local", order = 100,
            description = "Act on the local cloud started by ./relay up (the default when --stack is not given).")
    boolean local;

    @Option(names = "--endpoint", paramLabel = "URL", order = 101,
            description = "The local cloud's edge, when not on the default port (default: " + DEFAULT_ENDPOINT + ").")
    Optional<String> endpoint;

    @Option(names = "--template", paramLabel = "FILE", order = 102,
            description = "The template the local cloud runs, which names its resources (default: the repository's "
                    + "template.yaml).")
    Optional<Path> template;

    @Option(names = "--stack", paramLabel = "NAME", order = 103,
            description = "Act on this deployed CloudFormation stack: resource names from its Outputs, credentials "
                    + "from the standard AWS chain (AWS_PROFILE, environment, SSO, instance role).")
    Optional<String> stack;

    @Option(names = "--region", paramLabel = "REGION", order = 104,
            description = "The stack's region (default: the standard chain: AWS_REGION, the profile's region).")
    Optional<String> region;

    Target open() throws TemplateException {
        if (stack.isPresent()) {
            if (local || endpoint.isPresent() || template.isPresent()) {
                throw CommandException.usage("--stack acts on AWS; --local, --endpoint and --template act on the "
                        + "local cloud: give one or the other");
            }
            return Target.stack(stack.get(), region);
        }
        if (region.isPresent()) {
            throw CommandException.usage("--region goes with --stack NAME (the local cloud runs in "
                    + LocalCloudOptions.DEFAULT_REGION + ")");
        }
        return Target.local(endpoint.orElse(DEFAULT_ENDPOINT), LocalRun.template(template));
    }

    /** How an error message names the target (before it is opened), and what to do when it does not answer. */
    record Described(String name, String ifUnreachable) {}

    Described describe() {
        return stack.map(name -> new Described("stack " + name + region.map(r -> " in " + r).orElse(""),
                        "check the network, the region, and AWS_ENDPOINT_URL if it is set"))
                .orElseGet(() -> new Described("the local cloud at " + endpoint.orElse(DEFAULT_ENDPOINT),
                        "start the local cloud with ./relay up, or give --endpoint URL, or --stack NAME for a deployed "
                                + "stack"));
    }
}
