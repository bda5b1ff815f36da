package dev.relay.core.snapstart;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.Json;
import dev.relay.core.aws.AwsClients;
import dev.relay.core.event.Delivery;
import dev.relay.core.event.Envelope;
import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda snapshots an initialised execution environment, run the code every first
 * invocation would otherwise load and link on the clock (Jackson binding an event, SDK client construction, and for
 * agent functions the model client's request and response handling), so restored environments start warm. Nothing here
 * touches the network: it runs in the JVM only, on canned data.
 *
 * <p>Handlers register it from their initialisation ({@link #register(Runnable...)}); on a JVM without CRaC (the local
 * cloud, tests) registration is a no-op and nothing runs.
 */
public final class Priming implements Resource {

    /** CRaC holds registered resources weakly: this reference keeps the one registration alive. */
    private static volatile Priming registered;

    private final List<Runnable> extraSteps;

    Priming(List<Runnable> extraSteps) {
        this.extraSteps = List.copyOf(extraSteps);
    }

    /**
     * Registers priming for this execution environment: the steps every function shares, then {@code extraSteps}
     * (e.g. {@code LlmGateway::prime} for functions that ask a model). Registering again replaces the steps.
     */
    public static synchronized void register(Runnable... extraSteps) {
        registered = new Priming(List.of(extraSteps));
        Core.getGlobalContext().register(registered);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: priming keeps no connections, credentials or clocks.
    }

    void prime() {
        primeJson();
        AwsClients.prime();
        extraSteps.forEach(Runnable::run);
    }

    /** An event through the mapper both ways, as a queue message body and inside an SNS notification. */
    private static void primeJson() {
        ObjectNode data = Json.object().put("priming", true);
        Envelope event = Envelope.create("relay.priming", "urn:relay:priming", data);
        String json = event.toJson();
        ObjectNode notification = Json.object().put("Type", "Notification")
                .put("TopicArn", "arn:aws:sns:us-east-1:000000000000:priming").put("Message", json);
        if (!Delivery.envelope(json).equals(Delivery.envelope(Json.write(notification)))) {
            throw new IllegalStateException("priming: an event did not read back the same from a message body");
        }
        Json.canonical(event.toJsonNode());
    }
}
