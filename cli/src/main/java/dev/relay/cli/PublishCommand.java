package dev.relay.cli;

import dev.relay.core.Json;
import dev.relay.core.aws.SnsEventPublisher;
import dev.relay.core.event.Envelope;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code relay publish}: one event onto the events topic, with the attributes subscriptions filter on. */
@Command(name = "publish", sortOptions = false,
        description = {"Publish an event to the events topic, as a producer would: SNS with the message attributes "
                + "type, id and correlationid, which the subscriptions filter on.",
                "Prints the event id and the correlation id (the flow to trace)."},
        footerHeading = "%nExamples:%n",
        footer = {"  relay publish deploy-completed                   # a sample of events/messages/, local cloud",
                "  relay publish --new-id order-placed              # the same sample again, as a new flow",
                "  relay publish my-event.json --stack relay        # a file, to a deployed stack",
                "  echo '{\"event_type\":\"alert.triggered\",\"payload\":{\"alert\":\"CPU\"}}' | relay publish -"})
final class PublishCommand extends TargetCommand {

    @Mixin
    EventArgument event;

    @Override
    public Integer call() throws Exception {
        Envelope published = event.read(System.in);
        PrintWriter out = out();
        try (Target target = targetOptions.open()) {
            String topic = target.eventsTopicArn();
            new SnsEventPublisher(target.sns(), topic).publish(List.of(published));
            if (output.json()) {
                OutputOptions.print(out, Json.object().put("event_id", published.id())
                        .put("correlation_id", published.correlationId()).put("type", published.type())
                        .put("topic_arn", topic));
            } else {
                out.printf("published %s to %s%n", published.type(), topic);
                out.printf("  event id:       %s%n", published.id());
                out.printf("  correlation id: %s%n", published.correlationId());
                out.printf("follow it with: relay trace %s%n", published.correlationId());
            }
        }
        return 0;
    }
}
