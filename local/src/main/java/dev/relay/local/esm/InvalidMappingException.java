package dev.relay.local.esm;

/** An event source mapping's configuration that Lambda would reject; {@link #field()} names the offending property. */
public class InvalidMappingException extends IllegalArgumentException {

    private final String field;

    public InvalidMappingException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
