package dev.relay.cli;

import dev.relay.local.LocalCloudOptions;
import dev.relay.embedded.LocalPorts;
import dev.relay.local.template.StackContext;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Relay's own template needs from the local cloud, which itself knows nothing about agents: where the OpenAI
 * key lives and which model server the functions call. Without {@code OPENAI_API_KEY} the functions get the offline
 * model on the edge; with it, the key goes into the local SSM parameter the template names (never into a function's
 * environment or a log) and the functions call the real API.
 */
final class LocalRun {

    static final String KEY_PARAMETER = "OpenAiApiKeyParameterName";
    static final String BASE_URL_PARAMETER = "OpenAiBaseUrl";
    /** Any non-empty value: the offline model does not check keys. */
    static final String OFFLINE_KEY = "relay-offline-model";

    private LocalRun() {
    }

    static Path template(Optional<Path> given) {
        Path template = given.orElse(home().resolve("template.yaml"));
        if (!Files.isRegularFile(template)) {
            throw new IllegalArgumentException("no template at " + template + " (give --template FILE)");
        }
        return template;
    }

    static Path home() {
        return Path.of(System.getProperty("relay.home", ".")).toAbsolutePath().normalize();
    }

    static LocalCloudOptions options(Path template, int edgePort, int httpApiPort, Optional<Path> dataDir,
                                     Map<String, String> overrides, Map<String, String> environment)
            throws TemplateException {
        int edge = edgePort == 0 ? LocalPorts.free() : edgePort;
        Map<String, String> parameters = new HashMap<>(overrides);
        Map<String, String> secrets = new HashMap<>();
        String apiKey = environment.getOrDefault("OPENAI_API_KEY", "");
        boolean offline = apiKey.isBlank();
        Template declared = Template.load(template, StackContext.of(LocalCloudOptions.DEFAULT_STACK,
                LocalCloudOptions.DEFAULT_REGION, LocalCloudOptions.DEFAULT_ACCOUNT).withParameterOverrides(overrides));
        String keyParameter = declared.parameters().get(KEY_PARAMETER);
        if (keyParameter != null) {
            secrets.put("/" + keyParameter.replaceFirst("^/", ""), offline ? OFFLINE_KEY : apiKey);
        }
        if (offline && declared.parameters().containsKey(BASE_URL_PARAMETER)) {
            parameters.putIfAbsent(BASE_URL_PARAMETER, "http://127.0.0.1:" + edge + "/v1");
        }
        return LocalCloudOptions.defaults(template).withPorts(edge, httpApiPort).withDataDir(dataDir)
                .withParameterOverrides(parameters).withOfflineModel(offline).withParameters(secrets);
    }
}
