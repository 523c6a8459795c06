package dev.runestone.spring.boot;

import dev.runestone.RunestoneException;

/**
 * A {@code runestone.*} property, or the application's beans, do not describe a store Runestone can open; thrown
 * at startup, where Spring Boot reports it with the property and the fix.
 */
public class RunestoneConfigurationException extends RunestoneException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String problem;
    private final String action;

    /**
     * @param property the property at fault, such as {@code runestone.registry}
     * @param problem  what is wrong, as a sentence
     * @param action   how to fix it, as a sentence
     */
    public RunestoneConfigurationException(String property, String problem, String action) {
        super(problem + " " + action);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    /** As {@link #RunestoneConfigurationException(String, String, String)}, with the error that revealed it. */
    public RunestoneConfigurationException(String property, String problem, String action, Throwable cause) {
        super(problem + " " + action, cause);
        this.property = property;
        this.problem = problem;
        this.action = action;
    }

    /** The property at fault. */
    public String property() {
        return property;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }

    /** How to fix it. */
    public String action() {
        return action;
    }
}
