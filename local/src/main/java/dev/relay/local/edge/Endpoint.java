package dev.relay.local.edge;

import java.io.IOException;

/** A local service reachable through the edge port (SQS, SNS, DynamoDB, Lambda, Step Functions, the offline model). */
@FunctionalInterface
public interface Endpoint {

    /**
     * Answers one request. Protocol errors (an unknown action, a missing parameter) are answers in the service's own
     * error format, never exceptions; an exception means the service itself failed and becomes a 500.
     */
    EdgeResponse handle(EdgeRequest request) throws IOException;
}
