package dev.relay.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Test function whose class initialisation fails, as a handler with a misconfigured static client would. */
public class BrokenInit implements RequestHandler<Map<String, Object>, String> {

    static {
        if (System.getenv("BROKEN_INIT") != null) {
            throw new IllegalStateException("TABLE_NAME is not set");
        }
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "unreachable";
    }
}
