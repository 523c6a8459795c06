package dev.runestone.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link RunestoneConfigurationException} at startup as the property at fault and how to fix it. */
final class RunestoneFailureAnalyzer extends AbstractFailureAnalyzer<RunestoneConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RunestoneConfigurationException cause) {
        return new FailureAnalysis("Runestone could not start: " + cause.problem() + System.lineSeparator()
                + System.lineSeparator() + "Property: " + cause.property(), cause.action(), cause);
    }
}
