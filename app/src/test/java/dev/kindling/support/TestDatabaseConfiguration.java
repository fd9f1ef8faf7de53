package dev.kindling.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

    @Bean
    static DynamicPropertyRegistrar testDatabase() {
        return registry -> {
            registry.add("kindling.db.url", TestDatabase::url);
            registry.add("kindling.db.user", () -> "postgres");
            registry.add("kindling.db.password", () -> "postgres");
        };
    }
}
