package dev.kindling.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void aSealedSecretOpensUnderTheSameKeyAndNeverShowsInTheStoredBytes() {
        SecretBox box = SecretBox.of("configured secret", dir);
        byte[] sealed = box.seal("client-secret-123");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("client-secret-123");
        assertThat(box.open(sealed)).isEqualTo("client-secret-123");
        assertThat(box.seal("client-secret-123")).isNotEqualTo(sealed); // a fresh nonce each time
        assertThat(SecretBox.of("configured secret", dir).open(sealed)).isEqualTo("client-secret-123");
    }

    @Test
    void anotherKeyOrAnAlteredValueIsRefused() {
        byte[] sealed = SecretBox.of("one", dir).seal("s");
        assertThatThrownBy(() -> SecretBox.of("two", dir).open(sealed)).isInstanceOf(IllegalStateException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> SecretBox.of("one", dir).open(sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAConfiguredSecretTheKeyIsAFileOfTheDataDirectoryForItsOwnerOnly() throws Exception {
        byte[] sealed = SecretBox.of("", dir).seal("s");
        Path key = dir.resolve("salesforce.key");
        assertThat(Files.size(key)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(SecretBox.of(null, dir).open(sealed)).isEqualTo("s");
    }
}
