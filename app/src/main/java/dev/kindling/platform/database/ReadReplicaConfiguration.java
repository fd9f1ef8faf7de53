package dev.kindling.platform.database;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadReplicaProperties.class)
class ReadReplicaConfiguration {

    @Bean(destroyMethod = "close")
    ReportDatabase reportDatabase(
            ReadReplicaProperties replica, DataSource primary, PlatformTransactionManager transactions, Clock clock) {
        return replica.configured()
                ? ReportDatabase.withReplica(primary, replica, clock)
                : ReportDatabase.primaryOnly(primary, transactions, clock);
    }
}
