package dev.relay.local.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What SNS checks before it accepts a message: size (body plus attributes, 256 KiB), subject, message structure,
 * message attribute names, types and values, and FIFO's group and deduplication ids. Each refusal names the part of
 * the request at fault.
 */
final class PublishRules {

    static final int MAX_MESSAGE_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
    private static final Pattern FIFO_ID = Pattern.compile("[!-~]{1,128}");

    private PublishRules() {
    }

    /** Throws the SnsException SNS would answer for this message on this topic. */
    static void check(Topic topic, Publication publication) {
        if (publication.message().isEmpty()) {
            throw SnsException.invalidParameter("Message", "Empty message");
        }
        if (publication.subject() != null) {
            checkSubject(publication.subject());
        }
        publication.attributes().forEach(PublishRules::checkAttribute);
        if (size(publication) > MAX_MESSAGE_BYTES) {
            throw SnsException.invalidParameter("Message", "Message too long: " + size(publication)
                    + " bytes (body plus message attributes) is more than the limit of " + MAX_MESSAGE_BYTES);
        }
        if (publication.messageStructure() != null) {
            checkStructure(publication);
        }
        checkFifo(topic, publication);
    }

    /** The message for one protocol: with MessageStructure json, its entry or the default. */
    static String messageFor(Publication publication, String protocol) {
        if (!"json".equals(publication.messageStructure())) {
            return publication.message();
        }
        try {
            JsonNode messages = JSON.readTree(publication.message());
            JsonNode forProtocol = messages.get(protocol);
            return (forProtocol != null && forProtocol.isTextual() ? forProtocol : messages.get("default")).asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checked before publishing", e);
        }
    }

    /** The size SNS counts: the body plus each attribute's name, type and value. */
    static long size(Publication publication) {
        long size = utf8(publication.message());
        for (Map.Entry<String, MessageAttribute> attribute : publication.attributes().entrySet()) {
            MessageAttribute value = attribute.getValue();
            size += utf8(attribute.getKey()) + utf8(value.dataType());
            size += value.baseType().equals("Binary") ? value.stringValue().length() * 3L / 4 : utf8(value.stringValue());
        }
        return size;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void checkSubject(String subject) {
        boolean printableAscii = subject.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
        if (subject.isEmpty() || subject.length() >= 100 || !printableAscii || subject.charAt(0) == ' ') {
            throw SnsException.invalidParameter("Subject", "must be 1 to 99 printable ASCII characters, start with a "
                    + "letter, number or punctuation mark, and contain no line breaks or control characters");
        }
    }

    private static void checkAttribute(String name, MessageAttribute attribute) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!ATTRIBUTE_NAME.matcher(name).matches() || name.startsWith(".") || name.endsWith(".")
                || name.contains("..") || lower.startsWith("aws.") || lower.startsWith("amazon.")) {
            throw SnsException.invalidValue("The message attribute name '" + name + "' is invalid: use 1 to 256 of "
                    + "A-Z a-z 0-9 _ - . with no leading, trailing or double period, not starting with AWS. or Amazon.");
        }
        String type = attribute.dataType();
        String base = attribute.baseType();
        if (type.isEmpty()) {
            throw SnsException.invalidValue("The message attribute '" + name
                    + "' must contain non-empty message attribute type.");
        }
        boolean knownType = switch (base) {
            case "String.Array" -> type.equals("String.Array");
            case "String", "Number", "Binary" -> type.equals(base) || type.matches(base + "\\.[^\\s]{1,255}");
            default -> false;
        };
        if (!knownType || type.length() > 256) {
            throw SnsException.invalidValue("The message attribute '" + name + "' has an invalid message attribute "
                    + "type \"" + type + "\"; the supported types are String, String.Array, Number and Binary "
                    + "(with an optional .suffix)");
        }
        String value = attribute.stringValue();
        if (value.isEmpty()) {
            throw SnsException.invalidValue("The message attribute '" + name + "' must contain non-empty message "
                    + "attribute value for message attribute type '" + base + "'.");
        }
        switch (base) {
            case "Number" -> {
                try {
                    new BigDecimal(value);
                } catch (NumberFormatException e) {
                    throw SnsException.invalidValue("Could not cast message attribute '" + name + "' value \"" + value
                            + "\" to number.");
                }
            }
            case "String.Array" -> {
                boolean array;
                try {
                    JsonNode node = JSON.readTree(value);
                    array = node != null && node.isArray();
                    if (array) {
                        for (JsonNode item : node) {
                            array &= item.isTextual() || item.isNumber() || item.isBoolean() || item.isNull();
                        }
                    }
                } catch (JsonProcessingException e) {
                    array = false;
                }
                if (!array) {
                    throw SnsException.invalidValue("The message attribute '" + name + "' with type 'String.Array' "
                            + "must be a JSON array of strings, numbers, true, false or null, got " + value);
                }
            }
            case "Binary" -> {
                try {
                    Base64.getDecoder().decode(value);
                } catch (IllegalArgumentException e) {
                    throw SnsException.invalidValue("The message attribute '" + name + "' with type 'Binary' "
                            + "is not valid base64: " + e.getMessage());
                }
            }
            default -> {
            }
        }
    }

    private static void checkStructure(Publication publication) {
        if (!publication.messageStructure().equals("json")) {
            throw SnsException.invalidParameter("MessageStructure", "must be json, got \""
                    + publication.messageStructure() + "\"");
        }
        JsonNode messages;
        try {
            messages = JSON.readTree(publication.message());
        } catch (JsonProcessingException e) {
            messages = null;
        }
        if (messages == null || !messages.isObject()) {
            throw SnsException.invalidParameter("Message", "Message Structure - JSON message body failed to parse");
        }
        if (messages.get("default") == null || !messages.get("default").isTextual()) {
            throw SnsException.invalidParameter("Message", "Message Structure - No default entry in JSON message body");
        }
    }

    private static void checkFifo(Topic topic, Publication publication) {
        String group = publication.messageGroupId();
        String dedup = publication.messageDeduplicationId();
        if (group != null && !FIFO_ID.matcher(group).matches()) {
            throw SnsException.invalidParameter("MessageGroupId", "must be 1 to 128 printable ASCII characters");
        }
        if (dedup != null && !FIFO_ID.matcher(dedup).matches()) {
            throw SnsException.invalidParameter("MessageDeduplicationId", "must be 1 to 128 printable ASCII characters");
        }
        if (!topic.fifo()) {
            if (dedup != null) {
                throw SnsException.invalidParameter("MessageDeduplicationId", "The request includes "
                        + "MessageDeduplicationId parameter that is not valid for this topic type");
            }
            return;
        }
        if (group == null) {
            throw SnsException.invalidParameter("MessageGroupId", "The MessageGroupId parameter is required for FIFO topics");
        }
        if (dedup == null && !topic.contentBasedDeduplication()) {
            throw SnsException.invalidParameter("MessageDeduplicationId", "The topic should either have "
                    + "ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
        }
    }
}
