package ledger.domain.transfer;

import static ledger.domain.Commands.USD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.domain.BookFromEvents;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.book.AccountState;
import ledger.domain.book.ScopedBook.Key;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.money.Money;
import ledger.domain.seal.ChainCheck;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;

/**
 * Commands on a few shared accounts from several threads at once, each in its own unit of work as
 * on the command bus: the book's locks keep two of them from deciding on one account at once, so
 * no update is lost (the store would refuse a version written twice), no account is overdrawn,
 * and no command fails for another reason than a refusal. Afterwards the book still follows from
 * the events, account by account.
 */
class ConcurrentCommandsTest {
    private static final String TENANT = "acme";
    private static final int ACCOUNTS = 4;
    private static final int THREADS = 4;
    private static final int COMMANDS = 150;
    private static final long FUNDS = 100_00;
    private static final Set<RejectionCode> EXPECTED_REFUSALS = EnumSet.of(RejectionCode.INSUFFICIENT_FUNDS,
            RejectionCode.ACCOUNT_FROZEN);

    @Test
    void commandsOnSharedAccountsFromManyThreadsLoseNothingAndOverdrawNothing() throws Exception {
        Commands acme = Commands.forTenant(TENANT);
        long seed = Long.getLong("ledger.seed", new SplittableRandom().nextLong());
        System.out.println("concurrent commands: -Dledger.seed=" + seed);
        try (LedgerHarness ledger = LedgerHarness.withCache(3)) {
            ledger.send(acme.openSource("equity", USD));
            for (int a = 0; a < ACCOUNTS; a++) {
                ledger.send(acme.openAsset("a" + a, USD));
                ledger.send(acme.transfer("fund-" + a, "a" + a, "equity", new Money(FUNDS, USD)));
            }
            Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            // daemons: a worker stuck on a lock never released must fail the test, not hang the build
            ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
                Thread thread = new Thread(r, "concurrent-commands");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    SplittableRandom random = new SplittableRandom(seed + t);
                    String worker = "w" + t;
                    workers.add(threads.submit(() -> {
                        work(ledger, acme, worker, random, outcomes);
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get(60, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            System.out.println("concurrent commands: " + outcomes);

            Map<Key, AccountState> states = ledger.store().statesOfTenant(TENANT);
            long assets = 0;
            long net = 0;
            long pendingDebits = 0;
            long pendingCredits = 0;
            for (AccountState state : states.values()) {
                net += state.debitsPosted() - state.creditsPosted();
                pendingDebits += state.debitsPending();
                pendingCredits += state.creditsPending();
                if (!state.accountId().equals("equity")) {
                    assets += state.balance();
                    assertThat(state.available()).as("available of %s", state.accountId()).isNotNegative();
                    assertThat(state.debitsPending() + state.creditsPending()).as("pending left on %s",
                            state.accountId()).isZero();
                }
            }
            assertThat(net).isZero();
            assertThat(pendingDebits).isEqualTo(pendingCredits);
            assertThat(assets).as("money only moved between the assets").isEqualTo(ACCOUNTS * FUNDS);
            assertThat(outcomes.get("accepted").get()).isGreaterThan(THREADS * COMMANDS / 4);

            List<DomainEventMessage<?>> events = ledger.eventsOfTenant(TENANT);
            List<ledger.domain.book.BookEntry> replayed = BookFromEvents.replay(events);
            List<ledger.domain.book.BookEntry> written = ledger.store().entriesOfTenant(TENANT);
            for (Key key : states.keySet()) {
                assertThat(BookFromEvents.ofAccount(written, key)).as("entries of %s", key)
                        .isEqualTo(BookFromEvents.ofAccount(replayed, key));
            }
            assertThat(written).hasSameSizeAs(replayed);
            assertThat(states).isEqualTo(BookFromEvents.states(events));
            ledger.assertBookAgreesWithStore();
            ChainCheck.verifyAll(events);
        }
    }

    /** One thread's commands: transfers between the assets, holds it posts or voids later, freezes it lifts. */
    private static void work(LedgerHarness ledger, Commands acme, String worker, SplittableRandom random,
                             Map<String, AtomicInteger> outcomes) {
        List<String> holds = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
            String id = worker + "-" + i;
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            Money amount = new Money(1 + random.nextLong(30_00), USD);
            int choice = random.nextInt(10);
            if (choice < 5) {
                run(ledger, acme.transfer(id, "a" + to, "a" + from, amount), outcomes);
            } else if (choice < 7) {
                if (run(ledger, acme.pending(id, "a" + to, "a" + from, amount, null), outcomes)) {
                    holds.add(id);
                }
            } else if (choice < 9 && !holds.isEmpty()) {
                String hold = holds.remove(random.nextInt(holds.size()));
                Object command = random.nextBoolean() ? acme.voidPending(hold) : acme.post(hold, null);
                if (!run(ledger, command, outcomes)) {
                    holds.add(hold); // refused while an account was frozen: try again later
                }
            } else {
                run(ledger, acme.freeze("a" + from), outcomes);
                run(ledger, acme.unfreeze("a" + from), outcomes);
            }
        }
        for (String hold : holds) {
            while (!run(ledger, acme.voidPending(hold), outcomes)) {
                Thread.onSpinWait();
            }
        }
    }

    /** Sends a command; only a refusal of the expected kinds may stop it. */
    private static boolean run(LedgerHarness ledger, Object command, Map<String, AtomicInteger> outcomes) {
        try {
            ledger.send(command);
            outcomes.computeIfAbsent("accepted", k -> new AtomicInteger()).incrementAndGet();
            return true;
        } catch (LedgerRejection refused) {
            assertThat(EXPECTED_REFUSALS).as("refusal of %s: %s", command, refused.getMessage())
                    .contains(refused.code());
            outcomes.computeIfAbsent(refused.code().code(), k -> new AtomicInteger()).incrementAndGet();
            return false;
        }
    }
}
