package dev.kindling.capture.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** A tracked link's QR code reads back as its URL, whatever the URL's random part. */
class QrCodesTest {

    @Test
    void everyCodeReadsBackAsItsUrl() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 400; i++) {
            String url = "https://kindling.test/l/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36)
                    + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            assertThat(LinkPagesIT.decode(QrCodes.svg(url))).as(url).isEqualTo(url);
        }
    }
}
