package dev.eddy.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The passwords Eddy's own clients use on the embedded stack's ports (Hot Rod and Kafka): made once
 * with a secure random generator, kept in the data folder in a file only its owner may read, and read
 * back on every later start, so another local user can neither reach the ports nor read the file.
 * The same user may read it, e.g. to point a Kafka consumer of their own at the stream topics.
 *
 * @param file           where they are kept
 * @param hotRodPassword the password of Hot Rod user {@link #USER}
 * @param kafkaPassword  the password of Kafka user {@link #USER}
 */
public record InternalCredentials(Path file, String hotRodPassword, String kafkaPassword) {
    /** The user name on both ports. */
    public static final String USER = "eddy";
    public static final String FILE_NAME = "internal-credentials.properties";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");

    /**
     * The credentials kept in {@code dataDir}, made there the first time (and the folder made only
     * its owner's, when this creates it). Refuses a file that others may read: its passwords are no
     * longer secret.
     */
    public static InternalCredentials inDataDir(Path dataDir) throws IOException {
        createOwnerOnly(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            try {
                write(file);
            } catch (FileAlreadyExistsException madeMeanwhile) {
                // another process made it first: read theirs
            }
        }
        return read(file);
    }

    /** Makes the folder (and its missing parents) readable by its owner only, if it does not exist yet. */
    public static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir, posix(dir.getParent()) ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER)} : new FileAttribute<?>[0]);
    }

    private static boolean posix(Path existingParent) {
        Path p = existingParent == null ? Path.of("").toAbsolutePath() : existingParent;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("hotrod.username", USER);
        p.setProperty("hotrod.password", secret());
        p.setProperty("kafka.username", USER);
        p.setProperty("kafka.password", secret());
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        // Created with its permissions in one step: there is no moment in which others may open it.
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } else {
            Files.createFile(file);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
            p.store(w, "Eddy's own credentials on the embedded Hot Rod and Kafka ports (made once; owner only)");
        }
    }

    private static InternalCredentials read(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY_FILE.containsAll(permissions)) {
                throw new IOException(file + " may be read by other users (" + PosixFilePermissions.toString(permissions)
                        + "): the embedded stack's passwords in it are no longer secret. Delete it to make new ones "
                        + "(chmod 600 keeps these)");
            }
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String hotRod = p.getProperty("hotrod.password");
        String kafka = p.getProperty("kafka.password");
        if (hotRod == null || hotRod.isBlank() || kafka == null || kafka.isBlank()) {
            throw new IOException(file + " lacks hotrod.password or kafka.password: delete it to make new ones");
        }
        return new InternalCredentials(file, hotRod, kafka);
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The Hot Rod users of the embedded node: Eddy alone, without TLS (the port is on loopback). */
    public HotRodUsers hotRodUsers() {
        return new HotRodUsers(java.util.Map.of(USER, hotRodPassword), null, null);
    }

    /** The Kafka client properties Eddy's producer, consumers and admin client need on the embedded broker. */
    public java.util.Map<String, String> kafkaClientProperties() {
        return EmbeddedKafka.saslPlainClient(USER, kafkaPassword);
    }

    @Override
    public String toString() {
        return "InternalCredentials[" + file + "]"; // never the passwords, should this reach a log
    }
}
