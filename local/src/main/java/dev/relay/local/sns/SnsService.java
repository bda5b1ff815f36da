package dev.relay.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.local.lambda.FunctionInvoker;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The local cloud's SNS, in memory and thread-safe: topics, {@code sqs} and {@code lambda} subscriptions with their
 * filter policies, Publish and PublishBatch. Both {@link SnsEndpoint} (the wire protocol) and the template loader
 * use this API; every refusal is an {@link SnsException} with SNS's error code and a message naming the problem.
 *
 * <p>Publishing to one topic is serialized, so each subscription receives that topic's messages in publish order;
 * Publish returns once the SQS deliveries are sent (Lambda deliveries run asynchronously, in order).
 */
public final class SnsService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> AWS_PROTOCOLS = Set.of("http", "https", "email", "email-json", "sms", "sqs",
            "application", "lambda", "firehose");
    private static final Pattern BATCH_ENTRY_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Duration DEDUPLICATION_WINDOW = Duration.ofMinutes(5);

    private final String region;
    private final String accountId;
    private final Fanout fanout;

    private final Object lock = new Object();
    private final Map<String, Topic> topics = new LinkedHashMap<>();
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    /** Per topic ARN: held while a message is matched and delivered, so deliveries keep publish order. */
    private final Map<String, FifoState> publishing = new ConcurrentHashMap<>();

    /**
     * @param region    the region in the ARNs this SNS makes (the local cloud's, e.g. us-east-1)
     * @param accountId the account in the ARNs (ElasticMQ's, e.g. 000000000000)
     * @param queues    sends {@code sqs} deliveries
     * @param functions invokes {@code lambda} subscriptions
     * @param envelope  renders notifications (its base URL goes into SigningCertURL and UnsubscribeURL)
     */
    public SnsService(String region, String accountId, QueueSender queues, FunctionInvoker functions,
                      SnsEnvelope envelope) {
        this.region = region;
        this.accountId = accountId;
        this.fanout = new Fanout(queues, functions, envelope);
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    // ---- topics ----

    /** CreateTopic without tags. */
    public Topic createTopic(String name, Map<String, String> attributes) {
        return createTopic(name, attributes, Map.of());
    }

    /**
     * CreateTopic: idempotent by name, so creating an existing topic with the same (or no) attributes returns it;
     * different attributes or tags are refused, as SNS does.
     */
    public Topic createTopic(String name, Map<String, String> attributes, Map<String, String> tags) {
        if (name == null) {
            throw SnsException.missing("name");
        }
        Topic requested = Topic.create("arn:aws:sns:" + region + ":" + accountId + ":" + name, name, attributes, tags);
        synchronized (lock) {
            Topic existing = topics.get(requested.arn());
            if (existing == null) {
                topics.put(requested.arn(), requested);
                return requested;
            }
            for (Map.Entry<String, String> attribute : requested.attributes().entrySet()) {
                if (!attribute.getValue().equals(existing.attributes().get(attribute.getKey()))) {
                    throw SnsException.invalidParameter("Attributes", "Topic already exists with different "
                            + "attributes (" + attribute.getKey() + ")");
                }
            }
            if (!tags.isEmpty() && !tags.equals(existing.tags())) {
                throw SnsException.invalidParameter("Tags", "Topic already exists with different tags");
            }
            return existing;
        }
    }

    /** DeleteTopic: removes the topic and its subscriptions; deleting a topic that does not exist is no error. */
    public void deleteTopic(String topicArn) {
        checkTopicArn(topicArn);
        synchronized (lock) {
            if (topics.remove(topicArn) != null) {
                subscriptions.values().removeIf(subscription -> subscription.topicArn().equals(topicArn));
            }
        }
        publishing.remove(topicArn);
    }

    /** The topic, or NotFound. */
    public Topic topic(String topicArn) {
        checkTopicArn(topicArn);
        synchronized (lock) {
            Topic topic = topics.get(topicArn);
            if (topic == null) {
                throw SnsException.notFound("Topic does not exist: " + topicArn);
            }
            return topic;
        }
    }

    /** Every topic, in creation order. */
    public List<Topic> topics() {
        synchronized (lock) {
            return List.copyOf(topics.values());
        }
    }

    /** GetTopicAttributes: the attributes set plus the computed ones (TopicArn, Owner, SubscriptionsConfirmed...). */
    public Map<String, String> topicAttributes(String topicArn) {
        synchronized (lock) {
            Topic topic = topic(topicArn);
            int count = (int) subscriptions.values().stream().filter(s -> s.topicArn().equals(topicArn)).count();
            return topic.describe(accountId, count);
        }
    }

    /** SetTopicAttributes: one attribute; an empty value clears it. */
    public void setTopicAttribute(String topicArn, String attributeName, String value) {
        if (attributeName == null) {
            throw SnsException.missing("attributeName");
        }
        synchronized (lock) {
            Topic changed = topic(topicArn).with(attributeName, value);
            topics.put(topicArn, changed);
        }
    }

    // ---- subscriptions ----

    /**
     * Subscribe: {@code sqs} to a queue ARN or {@code lambda} to a function ARN, confirmed at once. Subscribing the
     * same endpoint again returns the existing subscription (refused if the attributes differ).
     *
     * @param attributes DeliveryPolicy, FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy...; see
     *                   {@link #attributesFromTemplate} for values written as YAML maps or booleans
     */
    public Subscription subscribe(String topicArn, String protocol, String endpoint, Map<String, String> attributes) {
        if (topicArn == null) {
            throw SnsException.missing("topicArn");
        }
        if (protocol == null) {
            throw SnsException.missing("protocol");
        }
        checkEndpoint(protocol, endpoint);
        synchronized (lock) {
            Topic topic = topic(topicArn);
            if (topic.fifo() && !protocol.equals("sqs")) {
                throw SnsException.invalidParameter("Protocol", "FIFO topics deliver to SQS queues only, not "
                        + protocol);
            }
            if (!topic.fifo() && endpoint.endsWith(".fifo")) {
                throw SnsException.invalidParameter("Endpoint", "FIFO SQS Queues can not be subscribed to standard "
                        + "SNS topics");
            }
            Subscription requested = Subscription.create(topicArn + ":" + UUID.randomUUID(), topicArn, protocol,
                    endpoint, attributes);
            for (Subscription existing : subscriptions.values()) {
                if (existing.topicArn().equals(topicArn) && existing.protocol().equals(protocol)
                        && existing.endpoint().equals(endpoint)) {
                    if (attributes.isEmpty() || existing.attributes().equals(requested.attributes())) {
                        return existing;
                    }
                    throw SnsException.invalidParameter("Attributes",
                            "Subscription already exists with different attributes");
                }
            }
            subscriptions.put(requested.arn(), requested);
            return requested;
        }
    }

    /** Unsubscribe, or NotFound. */
    public void unsubscribe(String subscriptionArn) {
        synchronized (lock) {
            subscription(subscriptionArn);
            subscriptions.remove(subscriptionArn);
        }
    }

    /** The subscription, or NotFound. */
    public Subscription subscription(String subscriptionArn) {
        if (subscriptionArn == null) {
            throw SnsException.missing("subscriptionArn");
        }
        if (Arn.parse(subscriptionArn).filter(arn -> arn.service().equals("sns")).isEmpty()) {
            throw SnsException.invalidParameter("SubscriptionArn", "\"" + subscriptionArn
                    + "\" is not a subscription ARN");
        }
        synchronized (lock) {
            Subscription subscription = subscriptions.get(subscriptionArn);
            if (subscription == null) {
                throw SnsException.notFound("Subscription does not exist: " + subscriptionArn);
            }
            return subscription;
        }
    }

    /** Every subscription, in creation order. */
    public List<Subscription> subscriptions() {
        synchronized (lock) {
            return List.copyOf(subscriptions.values());
        }
    }

    /** The topic's subscriptions, or NotFound for the topic. */
    public List<Subscription> subscriptions(String topicArn) {
        synchronized (lock) {
            topic(topicArn);
            return subscriptions.values().stream().filter(s -> s.topicArn().equals(topicArn)).toList();
        }
    }

    public Map<String, String> subscriptionAttributes(String subscriptionArn) {
        return subscription(subscriptionArn).describe(accountId);
    }

    /** SetSubscriptionAttributes: one attribute, validated together with the others (a FilterPolicy with its scope). */
    public void setSubscriptionAttribute(String subscriptionArn, String attributeName, String value) {
        if (attributeName == null) {
            throw SnsException.missing("attributeName");
        }
        synchronized (lock) {
            Subscription changed = subscription(subscriptionArn).with(attributeName, value);
            subscriptions.put(subscriptionArn, changed);
        }
    }

    // ---- publishing ----

    /** Publish: validates, then delivers to every subscription whose filter policy accepts the message. */
    public Published publish(String topicArn, Publication publication) {
        Topic topic = topic(topicArn);
        PublishRules.check(topic, publication);
        return deliver(topic, publication);
    }

    /**
     * PublishBatch: request-level problems (no entries, more than ten, repeated or malformed ids, over 256 KiB in
     * all, unknown topic) refuse the whole batch; an entry SNS would refuse on its own is reported in
     * {@code failed} while the others are published.
     */
    public PublishBatch.Result publishBatch(String topicArn, List<PublishBatch.Entry> entries) {
        Topic topic = topic(topicArn);
        if (entries.isEmpty()) {
            throw new SnsException(SnsError.EMPTY_BATCH_REQUEST, "The batch request doesn't contain any entries.");
        }
        if (entries.size() > PublishBatch.MAX_ENTRIES) {
            throw new SnsException(SnsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, "The batch request contains "
                    + entries.size() + " entries; at most " + PublishBatch.MAX_ENTRIES + " are permitted.");
        }
        Set<String> ids = new HashSet<>();
        long size = 0;
        for (PublishBatch.Entry entry : entries) {
            if (!BATCH_ENTRY_ID.matcher(entry.id()).matches()) {
                throw new SnsException(SnsError.INVALID_BATCH_ENTRY_ID, "The batch entry id \"" + entry.id()
                        + "\" is invalid: use 1 to 80 alphanumeric characters, hyphens and underscores.");
            }
            if (!ids.add(entry.id())) {
                throw new SnsException(SnsError.BATCH_ENTRY_IDS_NOT_DISTINCT, "Two or more batch entries in the "
                        + "request have the same Id: " + entry.id());
            }
            size += PublishRules.size(entry.publication());
        }
        if (size > PublishRules.MAX_MESSAGE_BYTES) {
            throw new SnsException(SnsError.BATCH_REQUEST_TOO_LONG, "The batch request is " + size + " bytes in "
                    + "all; the limit is " + PublishRules.MAX_MESSAGE_BYTES + ".");
        }
        List<PublishBatch.Success> successful = new ArrayList<>();
        List<PublishBatch.Failure> failed = new ArrayList<>();
        for (PublishBatch.Entry entry : entries) {
            try {
                PublishRules.check(topic, entry.publication());
                Published published = deliver(topic, entry.publication());
                successful.add(new PublishBatch.Success(entry.id(), published.messageId(), published.sequenceNumber()));
            } catch (SnsException e) {
                failed.add(new PublishBatch.Failure(entry.id(), e.error().code(), e.getMessage(),
                        e.error().senderFault()));
            }
        }
        return new PublishBatch.Result(successful, failed);
    }

    private Published deliver(Topic topic, Publication publication) {
        FifoState state = publishing.computeIfAbsent(topic.arn(), arn -> new FifoState());
        synchronized (state) {
            Instant now = Instant.now();
            String deduplicationId = null;
            String sequenceNumber = null;
            if (topic.fifo()) {
                deduplicationId = publication.messageDeduplicationId() != null
                        ? publication.messageDeduplicationId() : sha256(publication.message());
                state.forget(now);
                Published duplicate = state.recent.get(deduplicationId);
                if (duplicate != null) {
                    return duplicate;
                }
                sequenceNumber = state.nextSequenceNumber();
            }
            List<Subscription> targets;
            synchronized (lock) {
                targets = subscriptions.values().stream().filter(s -> s.topicArn().equals(topic.arn())).toList();
            }
            PublishedMessage message = new PublishedMessage(UUID.randomUUID().toString(), topic.arn(),
                    publication.subject(), publication.message(), now, publication.attributes());
            fanout.deliver(message, publication, targets, publication.messageGroupId(), deduplicationId);
            Published published = new Published(message.messageId(), sequenceNumber);
            if (topic.fifo()) {
                state.remember(deduplicationId, published, now);
            }
            return published;
        }
    }

    /** Per topic: the publish lock, and for FIFO topics the sequence and the 5-minute deduplication window. */
    private static final class FifoState {
        private final Map<String, Published> recent = new HashMap<>();
        private final Map<String, Instant> expiries = new LinkedHashMap<>();
        private BigInteger sequence = new BigInteger("10000000000000000000");

        String nextSequenceNumber() {
            sequence = sequence.add(BigInteger.ONE);
            return sequence.toString();
        }

        void remember(String deduplicationId, Published published, Instant now) {
            recent.put(deduplicationId, published);
            expiries.put(deduplicationId, now.plus(DEDUPLICATION_WINDOW));
        }

        void forget(Instant now) {
            expiries.entrySet().removeIf(expiry -> {
                boolean expired = !expiry.getValue().isAfter(now);
                if (expired) {
                    recent.remove(expiry.getKey());
                }
                return expired;
            });
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    // ---- checks shared by the actions ----

    private static void checkTopicArn(String topicArn) {
        if (topicArn == null) {
            throw SnsException.missing("topicArn");
        }
        boolean topic = Arn.parse(topicArn).filter(arn -> arn.service().equals("sns")
                && !arn.resource().contains(":")).isPresent();
        if (!topic) {
            throw SnsException.invalidParameter("TopicArn", "\"" + topicArn + "\" is not a topic ARN");
        }
    }

    private static void checkEndpoint(String protocol, String endpoint) {
        if (!AWS_PROTOCOLS.contains(protocol)) {
            throw SnsException.invalidParameter("Protocol", "Amazon SNS does not support this protocol string: "
                    + protocol);
        }
        if (!protocol.equals("sqs") && !protocol.equals("lambda")) {
            throw SnsException.invalidParameter("Protocol", "the local cloud delivers to sqs and lambda "
                    + "subscriptions only, not " + protocol);
        }
        if (endpoint == null || endpoint.isEmpty()) {
            throw SnsException.invalidParameter("Endpoint", "a " + protocol + " subscription needs an endpoint ARN");
        }
        if (protocol.equals("sqs") && Arn.parse(endpoint).flatMap(Arn::sqsQueueName).isEmpty()) {
            throw SnsException.invalidParameter("SQS endpoint ARN", "\"" + endpoint
                    + "\" is not arn:aws:sqs:<region>:<account>:<queue name>");
        }
        if (protocol.equals("lambda") && Arn.parse(endpoint).flatMap(Arn::lambdaFunctionName).isEmpty()) {
            throw SnsException.invalidParameter("Lambda endpoint ARN", "\"" + endpoint
                    + "\" is not arn:aws:lambda:<region>:<account>:function:<name>");
        }
    }

    /**
     * Attribute values as a template writes them, made SNS attribute strings: a map or list (a YAML FilterPolicy or
     * RedrivePolicy) becomes JSON, a boolean or number its text ({@code RawMessageDelivery: true}), a string stays.
     */
    public static Map<String, String> attributesFromTemplate(Map<String, ?> properties) {
        Map<String, String> attributes = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                try {
                    attributes.put(name, JSON.writeValueAsString(value));
                } catch (JsonProcessingException e) {
                    throw SnsException.invalidParameter(name, "cannot be written as JSON: " + e.getOriginalMessage());
                }
            } else if (value != null) {
                attributes.put(name, value.toString());
            }
        });
        return attributes;
    }

    /** Waits for queued Lambda deliveries (a few seconds at most), then stops. */
    @Override
    public void close() {
        fanout.close();
    }
}
