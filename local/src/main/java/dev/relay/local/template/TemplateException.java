package dev.relay.local.template;

/** A template that cannot be loaded; the message starts with where the problem is. */
public final class TemplateException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String location;
    private final String problem;

    public TemplateException(String location, String problem) {
        super(location + ": " + problem);
        this.location = location;
        this.problem = problem;
    }

    public TemplateException(String location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
        this.problem = problem;
    }

    /** Where in the template: a dotted path such as {@code Resources.OpsQueue.Properties.QueueName}, or a line and column. */
    public String location() {
        return location;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
