package dev.relay.local.edge;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge port: one address for every local service, so the AWS CLI and SDKs work unchanged with
 * {@code --endpoint-url http://127.0.0.1:4566}. A request is routed by what identifies its protocol, most specific
 * first: a Lambda REST path or the model's {@code /v1} path, the JSON protocols' {@code X-Amz-Target}, the service in
 * the SigV4 credential scope, and last the query protocol's {@code Action} (SNS's actions are known; any other
 * action goes to SQS).
 */
public final class EdgeRouter implements Endpoint {

    private static final Pattern CREDENTIAL_SCOPE =
            Pattern.compile("Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/([^/,\\s]+)/aws4_request");

    private static final Set<String> SNS_ACTIONS = Set.of("CreateTopic", "DeleteTopic", "ListTopics",
            "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "Unsubscribe", "ConfirmSubscription",
            "ListSubscriptions", "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes",
            "Publish", "PublishBatch", "TagResource", "UntagResource", "ListTagsForResource");

    private final Map<AwsService, Endpoint> services;
    private final Endpoint index;

    /**
     * @param services the endpoint of each service that runs; requests for others get a clear 501
     * @param index    answers {@code GET /} (what runs where), for people who open the edge in a browser
     */
    public EdgeRouter(Map<AwsService, Endpoint> services, Endpoint index) {
        this.services = new EnumMap<>(services);
        this.index = index;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) throws IOException {
        if (request.method().equals("GET") && request.path().equals("/") && request.rawQuery().isEmpty()) {
            return index.handle(request);
        }
        Optional<AwsService> service = classify(request);
        if (service.isEmpty()) {
            return EdgeResponse.awsJsonError(400, "UnrecognizedClientException", "the local cloud cannot tell which "
                    + "service " + request.method() + " " + request.path() + " is for: send an X-Amz-Target header, "
                    + "a SigV4 Authorization header, an Action parameter, a /2015-03-31/functions path or /v1");
        }
        Endpoint endpoint = services.get(service.get());
        if (endpoint == null) {
            return EdgeResponse.awsJsonError(501, "NotImplemented",
                    service.get().signingName() + " does not run in this local cloud");
        }
        return endpoint.handle(request);
    }

    /** Which service a request is for, or empty when nothing identifies one. */
    public static Optional<AwsService> classify(EdgeRequest request) {
        String path = request.path();
        if (path.startsWith("/2015-03-31/functions")) {
            return Optional.of(AwsService.LAMBDA);
        }
        if (path.startsWith("/v1/")) {
            return Optional.of(AwsService.MODEL);
        }
        Optional<AwsService> byTarget = request.header("x-amz-target").flatMap(AwsService::byTarget);
        if (byTarget.isPresent()) {
            return byTarget;
        }
        Optional<AwsService> bySignature = request.header("authorization").map(CREDENTIAL_SCOPE::matcher)
                .filter(Matcher::find).flatMap(m -> AwsService.bySigningName(m.group(1)));
        if (bySignature.isPresent()) {
            return bySignature;
        }
        return action(request).map(action -> SNS_ACTIONS.contains(action) ? AwsService.SNS : AwsService.SQS);
    }

    /** The query protocol's {@code Action}, from the query string or a form body. */
    static Optional<String> action(EdgeRequest request) {
        Optional<String> fromQuery = parameter(request.rawQuery(), "Action");
        if (fromQuery.isPresent()) {
            return fromQuery;
        }
        boolean form = request.header("content-type").map(t -> t.startsWith("application/x-www-form-urlencoded"))
                .orElse(false);
        return form ? parameter(request.bodyText(), "Action") : Optional.empty();
    }

    static Optional<String> parameter(String encoded, String name) {
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
