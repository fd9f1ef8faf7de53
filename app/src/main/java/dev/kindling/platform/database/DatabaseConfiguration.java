package dev.kindling.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

    /** Absent when an external database is configured. */
    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseProperties properties, @Value("${kindling.data-dir}") Path dataDir) {
        if (properties.external()) {
            return null;
        }
        return EmbeddedDatabase.start(dataDir.resolve("postgres"));
    }

    /** Closed before the embedded database, which stops last (and after everything that uses this pool). */
    @Bean(destroyMethod = "close")
    @DependsOn("embeddedDatabase")
    HikariDataSource dataSource(DatabaseProperties properties, ObjectProvider<EmbeddedDatabase> embedded) {
        HikariConfig config = new HikariConfig();
        if (properties.external()) {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.user());
            config.setPassword(properties.password());
        } else {
            config.setJdbcUrl(embedded.getObject().jdbcUrl());
            config.setUsername("postgres");
            config.setPassword("postgres");
        }
        config.setPoolName("kindling");
        config.setMaximumPoolSize(16);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }
}
