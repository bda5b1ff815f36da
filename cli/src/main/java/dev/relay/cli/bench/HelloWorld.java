package dev.relay.cli.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The baseline of {@code relay bench}: the smallest useful Java handler. {@code relay bench} packages this class alone
 * into a jar of its own and runs it exactly as the template's functions (same runtime, flags and Runtime API), so a
 * function's cold start can be read as a multiple of this one.
 */
public final class HelloWorld implements RequestHandler<Map<String, Object>, String> {

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "hello, world";
    }
}
