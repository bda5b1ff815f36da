package dev.relay.local.template;

import java.util.Map;
import java.util.Objects;

/** What a stack deployment supplies beyond the template: its name, where it runs, and parameter values. */
public record StackContext(String stackName, String region, String accountId, Map<String, String> parameterOverrides) {

    public StackContext {
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accountId, "accountId");
        parameterOverrides = parameterOverrides == null ? Map.of() : Map.copyOf(parameterOverrides);
    }

    public static StackContext of(String stackName, String region, String accountId) {
        return new StackContext(stackName, region, accountId, Map.of());
    }

    public StackContext withParameterOverrides(Map<String, String> overrides) {
        return new StackContext(stackName, region, accountId, overrides);
    }
}
