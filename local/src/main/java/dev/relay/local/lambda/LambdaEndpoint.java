package dev.relay.local.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.relay.local.edge.EdgeRequest;
import dev.relay.local.edge.EdgeResponse;
import dev.relay.local.edge.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lambda's REST API (2015-03-31) as the AWS SDKs and the AWS CLI call it: {@code Invoke} (RequestResponse, Event,
 * DryRun, {@code LogType: Tail}), {@code ListFunctions}, {@code GetFunction} and {@code GetFunctionConfiguration}, with
 * Lambda's status codes, headers and error shapes.
 *
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html">Invoke</a>
 */
public final class LambdaEndpoint implements Endpoint {

    /** Lambda's request payload limits: 6 MB synchronous, 1 MB asynchronous. */
    static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;

    private static final String FUNCTIONS = "/2015-03-31/functions";
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    private static final ObjectReader STRICT_JSON = LambdaJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final LambdaService lambda;
    private final Map<Path, CodeFingerprint> fingerprints = new ConcurrentHashMap<>();

    public LambdaEndpoint(LambdaService lambda) {
        this.lambda = lambda;
    }

    @Override
    public EdgeResponse handle(EdgeRequest request) {
        String path = request.path();
        if ((path.equals(FUNCTIONS) || path.equals(FUNCTIONS + "/")) && request.method().equals("GET")) {
            return listFunctions(request);
        }
        if (path.startsWith(FUNCTIONS + "/")) {
            String[] parts = path.substring(FUNCTIONS.length() + 1).split("/");
            String function = qualified(parts[0], query(request, "Qualifier"));
            if (parts.length == 2 && parts[1].equals("invocations") && request.method().equals("POST")) {
                return invoke(function, request);
            }
            if (parts.length == 1 && request.method().equals("GET")) {
                return withFunction(function, spec -> ok(Map.of("Configuration", configuration(spec),
                        "Code", Map.of("RepositoryType", "S3", "Location", spec.jar().toUri().toString()),
                        "Tags", Map.of())));
            }
            if (parts.length == 2 && parts[1].equals("configuration") && request.method().equals("GET")) {
                return withFunction(function, spec -> ok(configuration(spec)));
            }
        }
        return error(404, "UnknownOperationException",
                "The local cloud's Lambda API does not implement " + request.method() + " " + path);
    }

    private EdgeResponse invoke(String function, EdgeRequest request) {
        String type = request.header("X-Amz-Invocation-Type").orElse("RequestResponse");
        if (!List.of("RequestResponse", "Event", "DryRun").contains(type)) {
            return error(400, "InvalidParameterValueException", "1 validation error detected: Value '" + type
                    + "' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[Event, RequestResponse, DryRun]");
        }
        String logType = request.header("X-Amz-Log-Type").orElse("None");
        if (!List.of("None", "Tail").contains(logType)) {
            return error(400, "InvalidParameterValueException", "1 validation error detected: Value '" + logType
                    + "' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]");
        }
        Optional<FunctionSpec> found = lambda.function(function);
        if (found.isEmpty()) {
            return notFound(function);
        }
        String name = found.get().name();
        byte[] payload = request.body().length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : request.body();
        int limit = type.equals("Event") ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
        if (payload.length > limit) {
            return error(413, "RequestTooLargeException", "Request must be smaller than " + limit + " bytes for the "
                    + (type.equals("Event") ? "InvokeAsync" : "InvokeFunction") + " operation");
        }
        try {
            STRICT_JSON.readTree(payload);
        } catch (IOException e) {
            return error(400, "InvalidRequestContentException", "Could not parse request body into json: Could not "
                    + "parse payload into json: " + firstLine(e));
        }
        String clientContext;
        try {
            clientContext = request.header("X-Amz-Client-Context")
                    .map(encoded -> new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8))
                    .orElse(null);
        } catch (IllegalArgumentException e) {
            return error(400, "InvalidRequestContentException", "Client context must be a base64-encoded JSON object");
        }
        return switch (type) {
            case "DryRun" -> new EdgeResponse(204, Map.of("x-amzn-RequestId", newRequestId()), null);
            case "Event" -> new EdgeResponse(202, Map.of("x-amzn-RequestId", lambda.invokeAsync(name, payload)), null);
            default -> invokeSync(name, payload, clientContext, logType.equals("Tail"));
        };
    }

    private EdgeResponse invokeSync(String name, byte[] payload, String clientContext, boolean tail) {
        LoggedInvocation invocation = lambda.invokeLogged(name, payload, clientContext);
        InvocationResult result = invocation.result();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", result.requestId());
        headers.put("X-Amz-Executed-Version", "$LATEST");
        result.functionError().ifPresent(error -> headers.put("X-Amz-Function-Error", error));
        if (tail) {
            headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(invocation.logTail()));
        }
        return new EdgeResponse(200, headers, result.payload());
    }

    private EdgeResponse listFunctions(EdgeRequest request) {
        List<FunctionSpec> all = lambda.functions();
        String marker = query(request, "Marker");
        int maxItems;
        try {
            maxItems = Integer.parseInt(Optional.ofNullable(query(request, "MaxItems")).orElse("50"));
        } catch (NumberFormatException e) {
            return error(400, "InvalidParameterValueException", "MaxItems must be a number");
        }
        List<FunctionSpec> page = all.stream()
                .filter(spec -> marker == null || spec.name().compareTo(marker) >= 0)
                .limit(Math.max(1, Math.min(maxItems, 10_000)) + 1L).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        int size = Math.min(page.size(), Math.max(1, Math.min(maxItems, 10_000)));
        body.put("Functions", page.subList(0, size).stream().map(this::configuration).toList());
        if (page.size() > size) {
            body.put("NextMarker", page.get(size).name());
        }
        return ok(body);
    }

    private Map<String, Object> configuration(FunctionSpec spec) {
        CodeFingerprint code = fingerprint(spec.jar());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("FunctionName", spec.name());
        config.put("FunctionArn", spec.arn());
        config.put("Runtime", "java25");
        config.put("Handler", spec.handler());
        config.put("CodeSize", code.size());
        config.put("Description", "");
        config.put("Timeout", spec.timeoutSeconds());
        config.put("MemorySize", spec.memoryMb());
        config.put("LastModified", code.lastModified());
        config.put("CodeSha256", code.sha256());
        config.put("Version", "$LATEST");
        config.put("Environment", Map.of("Variables", spec.environment()));
        config.put("TracingConfig", Map.of("Mode", "PassThrough"));
        config.put("State", "Active");
        config.put("LastUpdateStatus", "Successful");
        config.put("PackageType", "Zip");
        config.put("Architectures", List.of(System.getProperty("os.arch").contains("aarch64") ? "arm64" : "x86_64"));
        config.put("EphemeralStorage", Map.of("Size", 512));
        config.put("LoggingConfig", Map.of("LogFormat", "Text", "LogGroup", JavaRuntime.logGroup(spec)));
        return config;
    }

    /** Size, modification time and SHA-256 of a deployment jar, recomputed only when the jar changes. */
    private record CodeFingerprint(long size, String lastModified, String sha256, long modifiedMillis) {
    }

    private CodeFingerprint fingerprint(Path jar) {
        try {
            long size = Files.size(jar);
            long modified = Files.getLastModifiedTime(jar).toMillis();
            CodeFingerprint known = fingerprints.get(jar);
            if (known != null && known.size() == size && known.modifiedMillis() == modified) {
                return known;
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(jar), sha)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            CodeFingerprint fresh = new CodeFingerprint(size, LAST_MODIFIED.format(java.time.Instant.ofEpochMilli(modified)),
                    Base64.getEncoder().encodeToString(sha.digest()), modified);
            fingerprints.put(jar, fresh);
            return fresh;
        } catch (IOException e) {
            return new CodeFingerprint(0, "", "", 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private EdgeResponse withFunction(String function, java.util.function.Function<FunctionSpec, EdgeResponse> action) {
        return lambda.function(function).map(action).orElseGet(() -> notFound(function));
    }

    private EdgeResponse notFound(String function) {
        return error(404, "ResourceNotFoundException", "Function not found: " + lambda.arnOf(function));
    }

    private static String qualified(String function, String qualifier) {
        return qualifier == null ? function : function + ":" + qualifier;
    }

    private static String query(EdgeRequest request, String name) {
        for (String pair : request.rawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    private static EdgeResponse ok(Object body) {
        return new EdgeResponse(200, Map.of("Content-Type", "application/json", "x-amzn-RequestId", newRequestId()),
                LambdaJson.write(body));
    }

    /** Lambda's error shape: the code in {@code x-amzn-ErrorType}, the message in the body. */
    private static EdgeResponse error(int status, String code, String message) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-RequestId", newRequestId());
        headers.put("x-amzn-ErrorType", code);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("Type", "User");
        body.put("Message", message);
        return new EdgeResponse(status, headers, LambdaJson.write(body));
    }
}
