package dev.kindling.lists;

import java.util.List;

/**
 * Something whose conditions or actions can name a list (other lists' conditions, automation rules), so a list
 * they name is not deleted from under them. Each implementation answers, for a list, what names it.
 */
public interface ListReferences {

    /** Human-readable names of what refers to the list (e.g. {@code list "Hot leads" (12)}), empty when nothing. */
    List<String> referencing(long listId);
}
