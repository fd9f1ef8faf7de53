package dev.kindling.automation;

import dev.kindling.lists.ListReferences;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Rules, forms and links whose conditions or actions name a list: that list cannot be deleted from under them. */
@Component
class AutomationListReferences implements ListReferences {

    private final JdbcClient jdbc;

    AutomationListReferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> referencing(long listId) {
        return jdbc.sql("""
                        SELECT 'automation rule "' || name || '" (' || id || ')' FROM automation_rule
                         WHERE jsonb_path_exists(condition, '$.** ? (@.memberOf == $id)', jsonb_build_object('id', :id))
                            OR jsonb_path_exists(actions, '$[*] ? (@.listId == $id)', jsonb_build_object('id', :id))
                        UNION ALL
                        SELECT 'form "' || name || '" (' || id || ')' FROM form
                         WHERE jsonb_path_exists(completion_actions, '$[*] ? (@.listId == $id)', jsonb_build_object('id', :id))
                        UNION ALL
                        SELECT 'link "' || name || '" (' || id || ')' FROM tracked_link
                         WHERE jsonb_path_exists(completion_actions, '$[*] ? (@.listId == $id)', jsonb_build_object('id', :id))""").param("id", listId).query(String.class).list();
    }
}
