package dev.relay.local.secretsmanager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.local.template.Resource;
import dev.relay.local.template.ResourceTypes;
import dev.relay.local.template.Template;
import dev.relay.local.template.TemplateException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates the template's {@code AWS::SecretsManager::Secret}s in the local store, under the ARN the template's
 * {@code Ref} resolves to: with their {@code SecretString}, or a value generated locally as
 * {@code GenerateSecretString} describes (length, excluded characters and classes, one of each included class, and
 * {@code SecretStringTemplate}/{@code GenerateStringKey}). Without either, the secret has no value yet, as on AWS.
 */
public final class SecretProvisioner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String LOWERCASE = "abcdefghijklmnopqrstuvwxyz";
    static final String UPPERCASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static final String NUMBERS = "0123456789";
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final SecretStore store;

    public SecretProvisioner(SecretStore store) {
        this.store = store;
    }

    public void create(Template template) throws TemplateException {
        for (Resource secret : template.resourcesOfType(ResourceTypes.SECRETS_MANAGER_SECRET)) {
            String where = "Resources." + secret.logicalId() + ".Properties";
            Object literal = secret.properties().get("SecretString");
            Object generate = secret.properties().get("GenerateSecretString");
            if (literal != null && generate != null) {
                throw new TemplateException(where, "give SecretString or GenerateSecretString, not both");
            }
            Optional<String> value = literal != null ? Optional.of(literal.toString())
                    : generate != null ? Optional.of(generated(generate, where + ".GenerateSecretString"))
                    : Optional.empty();
            Object description = secret.properties().get("Description");
            try {
                store.create(template.ref(secret.logicalId()).orElseThrow(), secret.physicalName(),
                        description == null ? null : description.toString(),
                        value.map(v -> SecretStore.version(null, v, null)));
            } catch (SecretStore.SecretsException e) {
                throw new TemplateException("Resources." + secret.logicalId(), e.getMessage());
            }
        }
    }

    /** A value as Secrets Manager's GetRandomPassword would generate it, placed in the template when one is given. */
    static String generated(Object specification, String where) throws TemplateException {
        if (!(specification instanceof Map<?, ?> spec)) {
            throw new TemplateException(where, "must be a map");
        }
        int length = integer(spec.get("PasswordLength"), 32, where + ".PasswordLength");
        if (length < 1 || length > 4096) {
            throw new TemplateException(where + ".PasswordLength", "must be 1 to 4096, got " + length);
        }
        String excluded = spec.get("ExcludeCharacters") == null ? "" : spec.get("ExcludeCharacters").toString();
        List<String> classes = new ArrayList<>();
        addClass(classes, spec, "ExcludeLowercase", LOWERCASE, excluded);
        addClass(classes, spec, "ExcludeUppercase", UPPERCASE, excluded);
        addClass(classes, spec, "ExcludeNumbers", NUMBERS, excluded);
        addClass(classes, spec, "ExcludePunctuation", PUNCTUATION, excluded);
        if (flag(spec.get("IncludeSpace"), false) && !excluded.contains(" ")) {
            classes.add(" ");
        }
        if (classes.isEmpty()) {
            throw new TemplateException(where, "excludes every character class: nothing left to generate from");
        }
        boolean eachType = flag(spec.get("RequireEachIncludedType"), true);
        if (eachType && length < classes.size()) {
            throw new TemplateException(where + ".PasswordLength", length + " is too short to include one character of "
                    + "each of the " + classes.size() + " included types");
        }
        String all = String.join("", classes);
        char[] password = new char[length];
        for (int i = 0; i < length; i++) {
            password[i] = all.charAt(RANDOM.nextInt(all.length()));
        }
        if (eachType) {
            // One of each class at distinct random positions: still uniform within each class.
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < length; i++) {
                positions.add(i);
            }
            java.util.Collections.shuffle(positions, RANDOM);
            for (int c = 0; c < classes.size(); c++) {
                String characters = classes.get(c);
                password[positions.get(c)] = characters.charAt(RANDOM.nextInt(characters.length()));
            }
        }
        return inTemplate(spec, new String(password), where);
    }

    private static String inTemplate(Map<?, ?> spec, String password, String where) throws TemplateException {
        Object template = spec.get("SecretStringTemplate");
        Object key = spec.get("GenerateStringKey");
        if (template == null && key == null) {
            return password;
        }
        if (template == null || key == null) {
            throw new TemplateException(where, "SecretStringTemplate and GenerateStringKey go together");
        }
        try {
            if (!(JSON.readTree(template.toString()) instanceof ObjectNode object)) {
                throw new TemplateException(where + ".SecretStringTemplate", "must be a JSON object");
            }
            object.put(key.toString(), password);
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new TemplateException(where + ".SecretStringTemplate", "is not JSON: " + e.getOriginalMessage());
        }
    }

    private static void addClass(List<String> classes, Map<?, ?> spec, String excludeFlag, String characters,
                                 String excluded) {
        if (flag(spec.get(excludeFlag), false)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        characters.chars().filter(c -> excluded.indexOf(c) < 0).forEach(c -> kept.append((char) c));
        if (!kept.isEmpty()) {
            classes.add(kept.toString());
        }
    }

    private static boolean flag(Object value, boolean fallback) {
        return value == null ? fallback : Boolean.parseBoolean(value.toString());
    }

    private static int integer(Object value, int fallback, String where) throws TemplateException {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new TemplateException(where, "must be a whole number, got " + value);
        }
    }
}
