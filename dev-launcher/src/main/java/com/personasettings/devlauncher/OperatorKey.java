package com.personasettings.devlauncher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The processor's operator signing key of a dev stack: made once, kept in the data folder (readable by its owner
 * only), so that a restarted stack still recognises the operator's commands already on its log.
 */
final class OperatorKey {

    private OperatorKey() {
    }

    /** The key file in {@code dir}, written first if there is none. */
    static Path in(Path dir) {
        Path file = dir.resolve("processor-operator.key");
        if (Files.exists(file)) {
            return file;
        }
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }
}
