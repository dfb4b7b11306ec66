package dev.eddy.core.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.core.model.AttributeValue;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of two captures of a page a backup keeps (BackupData.capture). */
class BackupDataTest {
    private static Map<String, AttributeValue> kept(long sequence, Long point) {
        return point == null ? Map.of("q", AttributeValue.n(Long.toString(sequence)))
                : Map.of("q", AttributeValue.n(Long.toString(sequence)), "p", AttributeValue.n(Long.toString(point)));
    }

    @Test
    void aLaterStateReplacesAnEarlierOneWhateverThePoint() {
        assertFalse(BackupData.keeps(kept(10, 500L), 11, 400));
        assertTrue(BackupData.keeps(kept(11, 400L), 10, 500));
    }

    /** A backup announced again has a later point: its capture of the same state is read as of that point. */
    @Test
    void ofTheSameStateTheCaptureForTheLaterPointStays() {
        assertFalse(BackupData.keeps(kept(10, 400L), 10, 500), "the later point's capture replaces the earlier one's");
        assertTrue(BackupData.keeps(kept(10, 500L), 10, 400), "an earlier point's capture, landing late, does not replace it");
        assertTrue(BackupData.keeps(kept(10, 500L), 10, 500), "the same capture twice: either");
        assertFalse(BackupData.keeps(kept(10, null), 10, 500), "a capture kept before points were recorded counts as point 0");
    }
}
