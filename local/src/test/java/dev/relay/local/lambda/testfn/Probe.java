package dev.relay.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test function driven by its event: {@code print} a line, {@code sleepMs}, {@code exit} with a status, {@code throw}
 * an exception with a message; then answers with what it saw of its process and context.
 */
public class Probe implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final long LOADED_AT = System.currentTimeMillis();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = System.currentTimeMillis();
        if (event.containsKey("print")) {
            System.out.println(event.get("print"));
        }
        if (event.containsKey("sleepMs")) {
            try {
                Thread.sleep(((Number) event.get("sleepMs")).longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (event.containsKey("exit")) {
            System.exit(((Number) event.get("exit")).intValue());
        }
        if (event.containsKey("throw")) {
            throw new IllegalStateException(String.valueOf(event.get("throw")));
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("pid", ProcessHandle.current().pid());
        seen.put("loadedAt", LOADED_AT);
        seen.put("started", started);
        seen.put("ended", System.currentTimeMillis());
        seen.put("requestId", context.getAwsRequestId());
        seen.put("remainingMs", context.getRemainingTimeInMillis());
        seen.put("memoryLimitMb", context.getMemoryLimitInMB());
        seen.put("functionName", context.getFunctionName());
        seen.put("functionVersion", context.getFunctionVersion());
        seen.put("invokedArn", context.getInvokedFunctionArn());
        seen.put("logGroup", context.getLogGroupName());
        seen.put("logStream", context.getLogStreamName());
        seen.put("clientContext", context.getClientContext() == null ? null : context.getClientContext().getCustom());
        seen.put("userDir", System.getProperty("user.dir"));
        seen.put("maxHeap", Runtime.getRuntime().maxMemory());
        Map<String, String> env = new LinkedHashMap<>();
        if (event.get("env") instanceof List<?> names) {
            names.forEach(name -> env.put(String.valueOf(name), System.getenv(String.valueOf(name))));
        }
        seen.put("env", env);
        return seen;
    }
}
