package ledger.api.config;

import ledger.domain.account.Account;
import ledger.domain.seal.LedgerJson;
import ledger.domain.seal.SealedEventIdentity;
import ledger.domain.transfer.LedgerCommandHandler;
import ledger.domain.transfer.Transfer;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Axon wiring: one JSON mapping for everything stored (so a stored payload is the payload that
 * was hashed), cached event-sourced aggregates, the cross-aggregate ledger command handler, and
 * the seal's identity interceptor on the event store.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

    @Bean
    @Primary
    public Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return jackson();
    }

    private static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(LedgerJson.mapper()).build();
    }

    @Bean
    public ConfigurerModule ledgerAggregates(LedgerProperties properties) {
        int cacheSize = properties.aggregateCacheSize();
        AggregateConfigurer<Account> accounts = AggregateConfigurer.defaultConfiguration(Account.class);
        AggregateConfigurer<Transfer> transfers = AggregateConfigurer.defaultConfiguration(Transfer.class);
        if (cacheSize > 0) {
            // Without a cache every command re-sources its aggregates: correct with several
            // writers (conflicts surface as sequence-number violations and are retried), slower.
            AggregateCache accountCache = new AggregateCache(cacheSize);
            AggregateCache transferCache = new AggregateCache(cacheSize);
            accounts.configureCache(c -> accountCache);
            transfers.configureCache(c -> transferCache);
        }
        return configurer -> configurer.configureAggregate(accounts).configureAggregate(transfers);
    }

    /** A Spring bean so the pending-expiry deadline handler in {@link Transfer} can take it as a parameter. */
    @Bean
    public LedgerCommandHandler ledgerCommandHandler(org.axonframework.config.Configuration axon) {
        return new LedgerCommandHandler(axon.repository(Account.class), axon.repository(Transfer.class),
                axon.deadlineManager());
    }

    /**
     * Registers {@link SealedEventIdentity} on the event bus itself: aggregates publish there, not
     * through the event gateway.
     */
    @Bean
    public static BeanPostProcessor sealedEventIdentityRegistrar() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof EventBus bus) {
                    bus.registerDispatchInterceptor(new SealedEventIdentity());
                }
                return bean;
            }
        };
    }
}
