package dev.runestone.spi;

import java.util.List;

/**
 * The events of one part of the log after a position, as {@link EventStorage#readLog(long, int,
 * dev.runestone.LogPartition)} reads them, and how far the read got.
 *
 * @param events       the part's events, in position order
 * @param lastPosition the position up to which the read looked at the log, whatever part its events were in: the
 *                     last event's position when the read stopped at its limit, else the log's last readable
 *                     position; the position the read started after if it found nothing at all. A reader of the
 *                     part continues from here, so that events of other parts are not looked at again.
 */
public record LogSlice(List<StoredEvent> events, long lastPosition) {

    public LogSlice {
        events = List.copyOf(events);
    }
}
