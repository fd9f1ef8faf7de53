package dev.kindling.capture.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    @Test
    void readsQuotedFieldsWithSeparatorsQuotesAndLineBreaks() throws Exception {
        String csv = "email,note\r\na@x.example,\"one, two\"\r\nb@x.example,\"say \"\"hi\"\"\nnext line\"\r\n";
        assertThat(CsvReader.parse(csv, ',', 10))
                .containsExactly(
                        List.of("email", "note"),
                        List.of("a@x.example", "one, two"),
                        List.of("b@x.example", "say \"hi\"\nnext line"));
    }

    @Test
    void acceptsLfAndCrLineEndingsAndAMissingFinalLineBreak() throws Exception {
        assertThat(CsvReader.parse("a,b\nc,d\re,f", ',', 10))
                .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e", "f"));
    }

    @Test
    void keepsEmptyFieldsAndAnEmptyQuotedLastField() throws Exception {
        assertThat(CsvReader.parse(",,\n\"\"\n", ',', 10)).containsExactly(List.of("", "", ""), List.of(""));
    }

    @Test
    void detectsTabsFromTheHeaderLine() {
        assertThat(CsvReader.detectSeparator("email\tcompany\tnote\na,b\tc")).isEqualTo('\t');
        assertThat(CsvReader.detectSeparator("email,\"a\tb\"\n")).isEqualTo(',');
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingItsLine() {
        assertThatThrownBy(() -> CsvReader.parse("a\n\"open\nstill open", ',', 10))
                .isInstanceOf(CsvReader.CsvException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void refusesMoreRecordsThanAllowed() {
        assertThatThrownBy(() -> CsvReader.parse("h\n1\n2\n3\n", ',', 3)).isInstanceOf(CsvReader.CsvException.class);
    }

    @Test
    void decodesUtf8DroppingTheBomAndRefusesOtherEncodings() throws Exception {
        byte[] withBom = "\uFEFFemail\nzoë@x.example\n".getBytes(StandardCharsets.UTF_8);
        assertThat(CsvReader.decode(withBom)).isEqualTo("email\nzoë@x.example\n");
        byte[] latin1 = "email\nzoë@x.example\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> CsvReader.decode(latin1)).hasMessage("file is not UTF-8");
    }
}
