package dev.runestone;

import dev.runestone.instrumentation.Instrumentation;
import dev.runestone.spi.StorageObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands what the adapter reports to the store's instrumentation. The adapter reports from inside its work (a group
 * of appends about to be written, a reader waiting for the log), so an instrumentation that throws, against its
 * contract, must not fail that work: the failure is logged once and the report dropped.
 */
final class AdapterObserver implements StorageObserver {

    private static final Logger LOG = LoggerFactory.getLogger(AdapterObserver.class);

    private final Instrumentation instrumentation;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    AdapterObserver(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    @Override
    public void logHeldBack(Duration waited) {
        try {
            instrumentation.logHeldBack(waited);
        } catch (RuntimeException e) {
            dropped("logHeldBack", e);
        }
    }

    @Override
    public void appendsCoalesced(int appends) {
        try {
            instrumentation.appendsCoalesced(appends);
        } catch (RuntimeException e) {
            dropped("appendsCoalesced", e);
        }
    }

    private void dropped(String hook, RuntimeException failure) {
        if (failureLogged.compareAndSet(false, true)) {
            LOG.error("The instrumentation's {} threw; its reports are dropped, and later failures of the "
                    + "instrumentation's adapter hooks are not logged", hook, failure);
        }
    }
}
