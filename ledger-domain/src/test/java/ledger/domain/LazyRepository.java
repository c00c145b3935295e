package ledger.domain;

import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;

/**
 * A repository looked up on first use. Needed with the plain Axon {@code Configurer}: the Transfer
 * aggregate's deadline handler takes {@code LedgerCommandHandler} as a parameter, which is resolved
 * while the Transfer model is built, and the handler itself needs the Transfer repository.
 */
final class LazyRepository<T> implements Repository<T> {
    private final Supplier<Repository<T>> lookup;

    LazyRepository(Supplier<Repository<T>> lookup) {
        this.lookup = lookup;
    }

    @Override
    public Aggregate<T> load(String aggregateIdentifier) {
        return lookup.get().load(aggregateIdentifier);
    }

    @Override
    public Aggregate<T> load(String aggregateIdentifier, Long expectedVersion) {
        return lookup.get().load(aggregateIdentifier, expectedVersion);
    }

    @Override
    public Aggregate<T> newInstance(Callable<T> factoryMethod) throws Exception {
        return lookup.get().newInstance(factoryMethod);
    }

    @Override
    public Aggregate<T> loadOrCreate(String aggregateIdentifier, Callable<T> factoryMethod) throws Exception {
        return lookup.get().loadOrCreate(aggregateIdentifier, factoryMethod);
    }

    @Override
    public void send(Message<?> message, ScopeDescriptor scopeDescription) throws Exception {
        lookup.get().send(message, scopeDescription);
    }

    @Override
    public boolean canResolve(ScopeDescriptor scopeDescription) {
        return lookup.get().canResolve(scopeDescription);
    }
}
