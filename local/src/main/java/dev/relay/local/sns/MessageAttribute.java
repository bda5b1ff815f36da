package dev.relay.local.sns;

import java.util.Objects;

/**
 * An SNS (or SQS) message attribute. {@code dataType} is {@code String}, {@code String.Array}, {@code Number} or
 * {@code Binary}, optionally with a custom suffix ({@code Number.float}); for Binary, {@code stringValue} holds the
 * bytes in base64, as the SNS notification JSON carries them.
 */
public record MessageAttribute(String dataType, String stringValue) {

    public MessageAttribute {
        Objects.requireNonNull(dataType, "dataType");
        Objects.requireNonNull(stringValue, "stringValue");
    }

    public static MessageAttribute string(String value) {
        return new MessageAttribute("String", value);
    }

    public static MessageAttribute number(String value) {
        return new MessageAttribute("Number", value);
    }

    public static MessageAttribute stringArray(String jsonArray) {
        return new MessageAttribute("String.Array", jsonArray);
    }

    /** The data type without a custom suffix: {@code Number.float} is a {@code Number}. */
    public String baseType() {
        if (dataType.startsWith("String.Array")) {
            return "String.Array";
        }
        int dot = dataType.indexOf('.');
        return dot < 0 ? dataType : dataType.substring(0, dot);
    }
}
