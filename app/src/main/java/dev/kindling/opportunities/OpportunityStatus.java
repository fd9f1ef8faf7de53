package dev.kindling.opportunities;

import dev.kindling.platform.web.ConflictException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where an opportunity stands: OPEN until it is won or lost, then closed for good. The transitions live here, so
 * no caller compares status strings: {@link #win} and {@link #lose} refuse (409) anything but an open one.
 */
public enum OpportunityStatus {
    OPEN,
    WON,
    LOST;

    /** Whether it is still open (may be won, lost, edited and get contact roles). */
    public boolean isOpen() {
        return this == OPEN;
    }

    /** The status after winning it: WON; 409 when it is already closed. */
    OpportunityStatus win(long id) {
        requireOpen(id);
        return WON;
    }

    /** The status after losing it: LOST; 409 when it is already closed. */
    OpportunityStatus lose(long id) {
        requireOpen(id);
        return LOST;
    }

    /** 409 unless it is open. */
    void requireOpen(long id) {
        if (!isOpen()) {
            throw new ConflictException("Opportunity " + id + " is already closed " + this);
        }
    }

    /** The status a text names (any case, surrounding blanks ignored); empty when it names none. */
    public static Optional<OpportunityStatus> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(text.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
