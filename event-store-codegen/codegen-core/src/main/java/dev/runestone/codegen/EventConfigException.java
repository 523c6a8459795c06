package dev.runestone.codegen;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The event configs cannot be turned into Java: they are malformed, use JSON Schema the generator does not support,
 * or clash with each other. Carries every problem found in every file, not just the first.
 */
public final class EventConfigException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /** An exception listing {@code problems}, which must not be empty. */
    public EventConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, ordered by file and then by where it is in the file. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an EventConfigException needs at least one problem");
        }
        String heading = problems.size() == 1 ? "1 problem in the event configs:" : problems.size()
                + " problems in the event configs:";
        return problems.stream().map(problem -> "  " + problem).collect(Collectors.joining("\n", heading + "\n", ""));
    }
}
