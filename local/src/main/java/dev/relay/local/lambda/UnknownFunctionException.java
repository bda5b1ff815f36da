package dev.relay.local.lambda;

/** No function of the local cloud has the requested name (Lambda's {@code ResourceNotFoundException}). */
public class UnknownFunctionException extends RuntimeException {

    private final String functionName;

    public UnknownFunctionException(String functionName) {
        super("Function not found: " + functionName);
        this.functionName = functionName;
    }

    public String functionName() {
        return functionName;
    }
}
