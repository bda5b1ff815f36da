package dev.relay.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes the Lambda APIs answer with, in one place. */
final class LambdaJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private LambdaJson() {
    }

    /** The error object Lambda returns as an invocation's payload and the runtime API uses for its own errors. */
    static byte[] error(String errorType, String errorMessage) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("errorType", errorType);
        error.put("errorMessage", errorMessage);
        return write(error);
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
