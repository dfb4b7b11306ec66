package dev.eddy.triggers.dispatcher;

/**
 * Where a trigger starts reading its table's stream the first time it runs; afterwards it resumes
 * from its committed position.
 */
public enum StartingPosition {
    /** From the oldest record still on the topic. */
    TRIM_HORIZON,
    /**
     * From the records written after the trigger first started. If the topic did not exist yet
     * when the trigger started, every record on it is newer than the trigger, so it is read from
     * the beginning.
     */
    LATEST
}
