package dev.eddy.core.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credentials file: read at startup (refused whole when malformed), read again when it changes. */
class CredentialsFileTest {
    private static void write(Path file, String json, long ageSeconds) throws Exception {
        Files.writeString(file, json);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenOneLeavesTheLastGoodCredentials() throws Exception {
        Path file = Files.createTempFile("credentials", ".json");
        write(file, "{\"credentials\":[{\"accessKeyId\":\"AKIDOLD\",\"secretAccessKey\":\"s1\",\"user\":\"ops\"}]}", 60);
        CredentialsFile credentials = CredentialsFile.load(file, "123456789012");
        assertEquals("arn:aws:iam::123456789012:user/ops", credentials.find("AKIDOLD").principalArn());

        write(file, "{\"credentials\":[{\"accessKeyId\":\"AKIDNEW\",\"secretAccessKey\":\"s2\","
                + "\"policy\":{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"dynamodb:Get*\","
                + "\"Resource\":\"*\"}}}]}", 0);
        Thread.sleep(1100); // looked at again at most once a second
        assertNull(credentials.find("AKIDOLD"));
        assertNotNull(credentials.find("AKIDNEW").policy());
        assertEquals("arn:aws:iam::123456789012:user/AKIDNEW", credentials.find("AKIDNEW").principalArn());

        write(file, "{\"credentials\":[{\"accessKeyId\":\"AKIDNEW\"}]}", -5); // no secret: refused, still AKIDNEW/s2
        Thread.sleep(1100);
        assertEquals("s2", credentials.find("AKIDNEW").secretAccessKey());
    }

    @Test
    void aMalformedFileIsRefusedAtStartupWithWhatIsWrong() throws Exception {
        Path file = Files.createTempFile("credentials", ".json");
        Files.writeString(file, "{\"credentials\":[{\"accessKeyId\":\"A\",\"secretAccessKey\":\"s\","
                + "\"policy\":{\"Statement\":{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}}}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CredentialsFile.load(file, "1"));
        assertTrue(e.getMessage().contains("credentials[0]: policy: Effect must be Allow or Deny"), e.getMessage());

        Files.writeString(file, "{\"credentials\":[{\"accessKeyId\":\"A\",\"secretAccessKey\":\"s\"},"
                + "{\"accessKeyId\":\"A\",\"secretAccessKey\":\"t\"}]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CredentialsFile.load(file, "1")).getMessage()
                .contains("listed twice"));
    }
}
