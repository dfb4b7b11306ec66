package dev.eddy.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The write marks every stored value ends with, and what they tell of a write whose reply was lost (issue 15). */
class WriteMarksTest {
    private static final byte[] VALUE = "page".getBytes(StandardCharsets.UTF_8);

    @Test
    void aValueStoredBeforeMarksExistedReadsAsItIsAndTellsNothing() {
        assertArrayEquals(VALUE, WriteMarks.value(VALUE));
        assertEquals(0, WriteMarks.trailer(VALUE).length);
        assertEquals(WriteMarks.Outcome.UNKNOWN, WriteMarks.outcome(VALUE, 7, 3));
    }

    @Test
    void aMarkedValueReadsAsTheValue() {
        byte[] stored = WriteMarks.marked(VALUE, 7, 3, new byte[0]);
        assertArrayEquals(VALUE, WriteMarks.value(stored));
        assertEquals(VALUE.length + 16 + 5, stored.length, "one mark: 21 bytes");
        assertArrayEquals(VALUE, WriteMarks.value(WriteMarks.marked(VALUE, 0, 0, new byte[0])), "a put's value");
    }

    @Test
    void theWriteThatReplacedAVersionIsKnownAsOursOrAnothers() {
        byte[] ours = WriteMarks.marked(VALUE, 7, 3, new byte[0]);
        assertEquals(WriteMarks.Outcome.APPLIED, WriteMarks.outcome(ours, 7, 3));
        byte[] theirs = WriteMarks.marked(VALUE, 8, 3, new byte[0]);
        assertEquals(WriteMarks.Outcome.NOT_APPLIED, WriteMarks.outcome(theirs, 7, 3));
        assertEquals(WriteMarks.Outcome.UNKNOWN, WriteMarks.outcome(theirs, 7, 2), "a version it does not remember");
        assertEquals(WriteMarks.Outcome.UNKNOWN, WriteMarks.outcome(null, 7, 3), "a value removed since");
    }

    @Test
    void theLastFewWritesAreRemembered() {
        byte[] stored = WriteMarks.marked(VALUE, 1, WriteMarks.ABSENT, new byte[0]);
        for (int i = 2; i <= 10; i++) {
            stored = WriteMarks.marked(WriteMarks.value(stored), i, 100 + i, WriteMarks.trailer(stored));
        }
        assertArrayEquals(VALUE, WriteMarks.value(stored));
        assertEquals(WriteMarks.DEPTH * 16, WriteMarks.trailer(stored).length);
        for (int i = 10; i > 10 - WriteMarks.DEPTH; i--) {
            assertEquals(WriteMarks.Outcome.APPLIED, WriteMarks.outcome(stored, i, 100 + i), "write " + i);
            assertEquals(WriteMarks.Outcome.NOT_APPLIED, WriteMarks.outcome(stored, 99, 100 + i), "another's write " + i);
        }
        assertEquals(WriteMarks.Outcome.UNKNOWN, WriteMarks.outcome(stored, 99, 100 + 10 - WriteMarks.DEPTH), "forgotten");
    }

    @Test
    void aCreateIsTheOneWriteThatReplacedAbsence() {
        byte[] created = WriteMarks.marked(VALUE, 5, WriteMarks.ABSENT, new byte[0]);
        assertEquals(WriteMarks.Outcome.APPLIED, WriteMarks.outcome(created, 5, WriteMarks.ABSENT));
        assertEquals(WriteMarks.Outcome.NOT_APPLIED, WriteMarks.outcome(created, 6, WriteMarks.ABSENT));
    }
}
