package ledger.domain.book;

import static ledger.domain.Commands.USD;
import static ledger.domain.Seeded.between;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ledger.domain.Seeded;
import ledger.domain.book.InMemoryBookStore.VersionConflict;
import ledger.domain.book.ScopedBook.Key;
import ledger.domain.book.ScopedBook.LockTimeout;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.money.OverdraftLimit;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link ScopedBook} on its own, with Axon units of work driven by hand: what a unit of work
 * records is seen by the rest of it, merged into its parent when a nested one commits and dropped
 * when it rolls back; the root writes its entries once, in order, when it commits, publishes them
 * to the cache afterwards, and forgets what it touched when it rolls back; the store's version
 * check catches a stale state (another node); locks are held by the root until it ends, once
 * however often they are asked for.
 */
class ScopedBookTest {
    private static final String TENANT = "acme";
    private static final TenantId ACME = TenantId.of(TENANT);
    private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
    private static final long LOCK_WAIT_MS = 100;
    private static final int STRIPES = 4096;

    private final InMemoryBookStore store = new InMemoryBookStore();
    private final ScopedBook book = new ScopedBook(store, 1_000, LOCK_WAIT_MS);
    private final ExecutorService elsewhere = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "elsewhere");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void leaveNoUnitOfWorkBehind() {
        while (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().rollback();
        }
        elsewhere.shutdownNow();
    }

    // ---- shorthand ----

    private static AccountState opened(String account) {
        return AccountState.opened(TENANT, account, USD, AccountKind.ASSET, OverdraftLimit.unlimitedLimit());
    }

    private static BookEntry opening(String account) {
        return new BookEntry(opened(account), BookEntry.OPENED, null, null, 0, AT);
    }

    private static BookEntry posting(AccountState before, long minor) {
        return new BookEntry(before.posted(Side.DEBIT, minor), BookEntry.POSTED, "t", Side.DEBIT, minor, AT);
    }

    private static Optional<AccountState> find(ScopedBook book, String account) {
        return book.find(ACME, AccountId.of(account));
    }

    private AccountState find(String account) {
        return find(book, account).orElseThrow();
    }

    /** Records a posting of {@code minor} on {@code account} as the current unit of work sees it; returns the state. */
    private static AccountState post(ScopedBook book, String account, long minor) {
        BookEntry entry = posting(find(book, account).orElseThrow(), minor);
        book.record(entry);
        return entry.after();
    }

    private AccountState post(String account, long minor) {
        return post(book, account, minor);
    }

    private static Key key(String account) {
        return new Key(TENANT, account);
    }

    /** Runs {@code work} in a root unit of work that commits, and returns its result or throws its failure. */
    private static <R> R inRoot(Callable<R> work) {
        ResultMessage<R> result = DefaultUnitOfWork.startAndGet(null).executeWithResult(work);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        return result.getPayload();
    }

    /** What another thread, outside any unit of work, reads. */
    private <R> R fromElsewhere(Callable<R> read) throws Exception {
        return elsewhere.submit(read).get(10, TimeUnit.SECONDS);
    }

    @Nested
    class OutsideAUnitOfWork {
        @Test
        void aRecordIsWrittenAtOnce() {
            book.record(opening("cash"));

            assertThat(store.entries()).containsExactly(opening("cash"));
            assertThat(store.state(TENANT, "cash")).isEqualTo(opened("cash"));
            assertThat(find("cash")).isEqualTo(opened("cash"));
        }

        @Test
        void aFindReadsTheStoreOnceAndThenTheCache() {
            store.write(List.of(opening("cash")));
            int loads = store.loadCalls();

            assertThat(find("cash")).isEqualTo(opened("cash"));
            assertThat(find("cash")).isEqualTo(opened("cash"));
            assertThat(store.loadCalls() - loads).isEqualTo(1);
        }

        @Test
        void anAccountThatDoesNotExistIsNotFound() {
            assertThat(find(book, "ghost")).isEmpty();
        }

        @Test
        void withoutACacheEveryFindReadsTheStore() {
            ScopedBook uncached = new ScopedBook(store, 0, LOCK_WAIT_MS);
            uncached.record(opening("cash"));
            int loads = store.loadCalls();

            find(uncached, "cash");
            find(uncached, "cash");

            assertThat(store.loadCalls() - loads).isEqualTo(2);
        }

        @Test
        void evictAllForgetsTheCacheSoAHandEditShows() {
            book.record(opening("cash"));
            AccountState edited = opened("cash").withStatus(AccountStatus.FROZEN);
            store.overwrite(edited);

            assertThat(find("cash")).as("cached").isEqualTo(opened("cash"));
            book.evictAll();
            assertThat(find("cash")).isEqualTo(edited);
        }
    }

    @Nested
    class Versions {
        @Test
        void aNewAccountStartsAtVersionZeroWithItsOpening() {
            AccountState zero = opened("cash");

            assertThatThrownBy(() -> book.record(new BookEntry(zero.posted(Side.DEBIT, 1), BookEntry.POSTED, "t",
                    Side.DEBIT, 1, AT))).as("version 1 first").isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> book.record(new BookEntry(zero, BookEntry.POSTED, "t", Side.DEBIT, 1, AT)))
                    .as("version 0 that is no opening").isInstanceOf(InvariantViolation.class);
            assertThat(store.entries()).isEmpty();
        }

        @Test
        void eachChangeIsOneVersionAboveTheStateItReplaces() {
            book.record(opening("cash"));
            AccountState v1 = opened("cash").posted(Side.DEBIT, 5);

            assertThatThrownBy(() -> book.record(opening("cash"))).as("opening twice")
                    .isInstanceOf(InvariantViolation.class);
            assertThatThrownBy(() -> book.record(new BookEntry(v1.posted(Side.DEBIT, 5), BookEntry.POSTED, "t",
                    Side.DEBIT, 5, AT))).as("skipping a version").isInstanceOf(InvariantViolation.class);
            book.record(new BookEntry(v1, BookEntry.POSTED, "t", Side.DEBIT, 5, AT));
            assertThat(store.entries()).extracting(e -> e.after().version()).containsExactly(0L, 1L);
        }

        @Test
        void insideAUnitOfWorkTheVersionIsCheckedAgainstWhatItRecorded() {
            book.record(opening("cash"));

            inRoot(() -> {
                AccountState v1 = post("cash", 5);
                assertThatThrownBy(() -> book.record(new BookEntry(v1, BookEntry.POSTED, "t", Side.DEBIT, 5, AT)))
                        .isInstanceOf(InvariantViolation.class);
                return post("cash", 5);
            });

            assertThat(store.state(TENANT, "cash").version()).isEqualTo(2);
        }

        /** Two nodes share the store; the one whose cache is stale decides on an old state and is caught. */
        @Test
        void aStaleCachedStateIsRefusedByTheStoreAndForgotten() {
            ScopedBook nodeA = book;
            ScopedBook nodeB = new ScopedBook(store, 1_000, LOCK_WAIT_MS);
            nodeA.record(opening("cash"));
            assertThat(find(nodeB, "cash")).contains(opened("cash"));
            inRoot(() -> post(nodeA, "cash", 100));

            assertThatThrownBy(() -> inRoot(() -> post(nodeB, "cash", 7))).isInstanceOf(VersionConflict.class);

            assertThat(store.state(TENANT, "cash").debitsPosted()).isEqualTo(100);
            assertThat(find(nodeB, "cash")).as("node B reads the store again").contains(store.state(TENANT, "cash"));
            inRoot(() -> post(nodeB, "cash", 7));
            assertThat(store.state(TENANT, "cash").debitsPosted()).isEqualTo(107);
            assertThat(store.entries()).extracting(e -> e.after().version()).containsExactly(0L, 1L, 2L);
        }
    }

    /** Another node writes to the same store: this node's cache may be stale, and must not stay so. */
    @Nested
    class AnotherNodesWrites {
        private final ScopedBook nodeB = new ScopedBook(store, 1_000, LOCK_WAIT_MS);

        /** Node B has cached version 0 of "cash"; this node has then written version 1. */
        private AccountState staleOnB() {
            book.record(opening("cash"));
            assertThat(find(nodeB, "cash")).contains(opened("cash"));
            return inRoot(() -> post(book, "cash", 100));
        }

        @Test
        void aRolledBackRootForgetsEvenWhatItOnlyTookFromTheCache() {
            AccountState stored = staleOnB();

            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            assertThat(find(nodeB, "cash")).as("stale, from the cache").contains(opened("cash"));
            root.rollback(); // a refusal, say

            assertThat(find(nodeB, "cash")).contains(stored);
        }

        @Test
        void findStoredReadsTheStoreAndRefreshesTheCache() {
            AccountState stored = staleOnB();

            assertThat(inRoot(() -> nodeB.findStored(ACME, AccountId.of("cash")))).contains(stored);
            int loads = store.loadCalls();
            assertThat(find(nodeB, "cash")).as("the cache refreshed").contains(stored);
            assertThat(store.loadCalls()).isEqualTo(loads);
            assertThat(inRoot(() -> nodeB.findStored(ACME, AccountId.of("ghost")))).isEmpty();
        }

        @Test
        void findStoredAnswersWhatTheUnitOfWorkChangedWithoutReadingTheStore() {
            staleOnB();

            inRoot(() -> {
                DefaultUnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);
                AccountState mine = post(book, "cash", 5);
                nested.commit();
                int loads = store.loadCalls();
                assertThat(book.findStored(ACME, AccountId.of("cash"))).contains(mine);
                assertThat(store.loadCalls()).isEqualTo(loads);
                return null;
            });
        }

        @Test
        void withoutACacheFindStoredIsFind() {
            ScopedBook uncached = new ScopedBook(store, 0, LOCK_WAIT_MS);
            AccountState stored = staleOnB();
            int loads = store.loadCalls();

            inRoot(() -> {
                assertThat(uncached.findStored(ACME, AccountId.of("cash"))).contains(stored);
                assertThat(uncached.find(ACME, AccountId.of("cash"))).contains(stored);
                return null;
            });
            assertThat(store.loadCalls() - loads).as("once for the unit of work").isEqualTo(1);
        }
    }

    @Nested
    class RootUnitOfWork {
        @Test
        void writesItsEntriesOnceWhenItCommitsInTheOrderRecorded() {
            book.record(opening("cash"));
            book.record(opening("bank"));
            int writes = store.writeCalls();
            List<BookEntry> recorded = new ArrayList<>();

            inRoot(() -> {
                AccountState cash = find("cash");
                recorded.add(posting(cash, 1));
                book.record(recorded.get(0));
                recorded.add(posting(find("bank"), 2));
                book.record(recorded.get(1));
                recorded.add(posting(find("cash"), 3));
                book.record(recorded.get(2));
                assertThat(find("cash").debitsPosted()).as("seen by the rest of the unit of work").isEqualTo(4);
                assertThat(store.writeCalls()).as("nothing written before the commit").isEqualTo(writes);
                assertThat(store.state(TENANT, "cash")).isEqualTo(opened("cash"));
                return null;
            });

            assertThat(store.writeCalls() - writes).isEqualTo(1);
            assertThat(store.entriesSince(2)).containsExactlyElementsOf(recorded);
            assertThat(store.state(TENANT, "cash").version()).isEqualTo(2);
        }

        @Test
        void flushWritesWhatWasRecordedSoFarAndTheCommitOnlyTheRest() {
            book.record(opening("cash"));
            book.record(opening("bank"));
            int writes = store.writeCalls();

            inRoot(() -> {
                post("cash", 1);
                book.flush(CurrentUnitOfWork.get().root());
                assertThat(store.state(TENANT, "cash").debitsPosted()).as("written by the flush").isEqualTo(1);
                book.flush(CurrentUnitOfWork.get().root());
                post("bank", 2);
                return null;
            });

            assertThat(store.writeCalls() - writes).as("one write per flush with something new").isEqualTo(2);
            assertThat(store.entriesSince(2)).extracting(e -> e.after().accountId()).containsExactly("cash", "bank");
        }

        @Test
        void aRootThatRecordsNothingWritesNothing() {
            book.record(opening("cash"));
            int writes = store.writeCalls();

            inRoot(() -> find("cash"));

            assertThat(store.writeCalls()).isEqualTo(writes);
        }

        @Test
        void theCacheShowsTheRootsStatesOnlyAfterItCommitsAndWithoutReadingTheStore() throws Exception {
            book.record(opening("cash"));
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            AccountState v1 = post("cash", 10);

            assertThat(fromElsewhere(() -> find("cash"))).as("while the root runs").isEqualTo(opened("cash"));
            root.commit();
            int loads = store.loadCalls();
            assertThat(fromElsewhere(() -> find("cash"))).as("after it committed").isEqualTo(v1);
            assertThat(store.loadCalls()).as("read from the cache").isEqualTo(loads);
        }

        @Test
        void changedInShowsWhatTheRootHasChanged() {
            book.record(opening("cash"));
            book.record(opening("bank"));

            inRoot(() -> {
                UnitOfWork<?> root = CurrentUnitOfWork.get();
                assertThat(book.changedIn(root)).isEmpty();
                AccountState v1 = post("cash", 1);
                AccountState v2 = post("cash", 1);
                find("bank");
                assertThat(book.changedIn(root)).containsExactly(Map.entry(key("cash"), v2));
                assertThat(v1.version()).isEqualTo(1);
                return null;
            });
        }

        @Test
        void aRolledBackRootWritesNothingAndForgetsEveryAccountItChangedOrLoaded() {
            book.record(opening("cash"));
            store.write(List.of(opening("bank"), opening("other"))); // not in the cache: the root loads them
            int writes = store.writeCalls();

            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            post("cash", 10);
            post("bank", 20);
            find("other");
            root.rollback();

            assertThat(store.writeCalls()).isEqualTo(writes);
            assertThat(store.entries()).hasSize(3);
            int loads = store.loadCalls();
            assertThat(find("cash")).isEqualTo(opened("cash"));
            assertThat(find("bank")).isEqualTo(opened("bank"));
            assertThat(find("other")).isEqualTo(opened("other"));
            assertThat(store.loadCalls() - loads).as("each read from the store again").isEqualTo(3);
        }

        @Test
        void aFailedWriteFailsTheRootWhichKeepsNothing() {
            book.record(opening("cash"));
            store.failNextWrite(new IllegalStateException("the database is gone"));

            assertThatThrownBy(() -> inRoot(() -> post("cash", 10))).hasMessage("the database is gone");

            assertThat(store.entries()).hasSize(1);
            assertThat(find("cash")).isEqualTo(opened("cash"));
            inRoot(() -> post("cash", 10));
            assertThat(store.state(TENANT, "cash").debitsPosted()).isEqualTo(10);
        }

        @Test
        void aRootThatRollsBackAfterItsFlushTakesItsWritesBackWithIt() {
            book.record(opening("cash"));

            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            post("cash", 10);
            book.flush(root);
            assertThat(store.state(TENANT, "cash").debitsPosted()).isEqualTo(10);
            root.rollback();

            assertThat(store.entries()).containsExactly(opening("cash"));
            assertThat(store.state(TENANT, "cash")).isEqualTo(opened("cash"));
            assertThat(find("cash")).isEqualTo(opened("cash"));
        }
    }

    @Nested
    class NestedUnitsOfWork {
        @Test
        void aNestedUnitOfWorkSeesItsParentAndHandsItsChangesToItWhenItCommits() {
            book.record(opening("cash"));
            int writes = store.writeCalls();

            inRoot(() -> {
                UnitOfWork<?> root = CurrentUnitOfWork.get();
                post("cash", 1);
                DefaultUnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);
                assertThat(find("cash").debitsPosted()).as("the parent's change").isEqualTo(1);
                AccountState v2 = post("cash", 2);
                assertThat(book.changedIn(root).get(key("cash")).version()).as("not handed over yet").isEqualTo(1);
                nested.commit();
                assertThat(book.changedIn(root)).containsEntry(key("cash"), v2);
                assertThat(find("cash")).isEqualTo(v2);
                assertThat(store.writeCalls()).as("a nested unit of work writes nothing").isEqualTo(writes);
                return null;
            });

            assertThat(store.writeCalls() - writes).isEqualTo(1);
            assertThat(store.entriesSince(1)).extracting(BookEntry::amount).containsExactly(1L, 2L);
        }

        @Test
        void aRolledBackNestedUnitOfWorkLeavesNothingBehindAndItsSiblingsKeepTheirs() {
            book.record(opening("cash"));
            book.record(opening("bank"));

            inRoot(() -> {
                DefaultUnitOfWork<?> first = DefaultUnitOfWork.startAndGet(null);
                post("cash", 1);
                first.commit();
                DefaultUnitOfWork<?> second = DefaultUnitOfWork.startAndGet(null);
                post("cash", 20);
                post("bank", 20);
                second.rollback();
                assertThat(find("cash").debitsPosted()).isEqualTo(1);
                assertThat(find("bank")).isEqualTo(opened("bank"));
                DefaultUnitOfWork<?> third = DefaultUnitOfWork.startAndGet(null);
                assertThat(post("cash", 300).version()).as("the version after the first's").isEqualTo(2);
                third.commit();
                return null;
            });

            assertThat(store.entriesSince(2)).extracting(BookEntry::amount).containsExactly(1L, 300L);
            assertThat(store.state(TENANT, "bank")).isEqualTo(opened("bank"));
            assertThat(find("cash").debitsPosted()).isEqualTo(301);
        }

        @Test
        void changesMergeOneLevelAtATime() {
            book.record(opening("cash"));

            inRoot(() -> {
                DefaultUnitOfWork<?> outer = DefaultUnitOfWork.startAndGet(null);
                DefaultUnitOfWork<?> inner = DefaultUnitOfWork.startAndGet(null);
                post("cash", 5);
                inner.commit();
                assertThat(find("cash").debitsPosted()).as("in the outer one").isEqualTo(5);
                outer.rollback();
                assertThat(find("cash")).as("in the root").isEqualTo(opened("cash"));
                return null;
            });

            assertThat(store.entries()).hasSize(1);
        }

        @Test
        void theRootsRollbackDropsWhatItsNestedUnitsOfWorkCommitted() {
            book.record(opening("cash"));

            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            DefaultUnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);
            post("cash", 5);
            nested.commit();
            root.rollback();

            assertThat(store.entries()).hasSize(1);
            assertThat(find("cash")).isEqualTo(opened("cash"));
        }

        @Test
        void anAccountOpenedInANestedUnitOfWorkExistsForItsSiblingsOnlyIfItCommitted() {
            inRoot(() -> {
                DefaultUnitOfWork<?> kept = DefaultUnitOfWork.startAndGet(null);
                assertThat(find(book, "cash")).isEmpty();
                book.record(opening("cash"));
                kept.commit();
                DefaultUnitOfWork<?> dropped = DefaultUnitOfWork.startAndGet(null);
                book.record(opening("bank"));
                dropped.rollback();
                DefaultUnitOfWork<?> sibling = DefaultUnitOfWork.startAndGet(null);
                assertThat(find(book, "cash")).contains(opened("cash"));
                assertThat(find(book, "bank")).isEmpty();
                sibling.commit();
                return null;
            });

            assertThat(store.states()).containsOnlyKeys(key("cash"));
        }
    }

    @Nested
    class WithoutACache {
        private final ScopedBook uncached = new ScopedBook(store, 0, LOCK_WAIT_MS);

        @Test
        void aUnitOfWorkReadsEachAccountFromTheStoreOnce() {
            uncached.record(opening("cash"));
            int loads = store.loadCalls();

            inRoot(() -> {
                find(uncached, "cash");
                find(uncached, "cash");
                find(uncached, "ghost");
                find(uncached, "ghost");
                return null;
            });
            assertThat(store.loadCalls() - loads).isEqualTo(2);
            inRoot(() -> find(uncached, "cash"));
            assertThat(store.loadCalls() - loads).as("the next unit of work reads again").isEqualTo(3);
        }

        @Test
        void preloadReadsWhatIsMissingInOneCall() {
            uncached.record(opening("cash"));
            uncached.record(opening("bank"));
            int loads = store.loadCalls();
            int keys = store.keysLoaded();

            inRoot(() -> {
                uncached.preload(List.of(key("cash"), key("bank"), key("ghost")));
                uncached.preload(List.of(key("cash")));
                assertThat(find(uncached, "cash")).contains(opened("cash"));
                assertThat(find(uncached, "bank")).contains(opened("bank"));
                assertThat(find(uncached, "ghost")).isEmpty();
                return null;
            });

            assertThat(store.loadCalls() - loads).isEqualTo(1);
            assertThat(store.keysLoaded() - keys).isEqualTo(3);
        }

        @Test
        void committedChangesAreReadBackFromTheStore() {
            uncached.record(opening("cash"));

            AccountState v1 = inRoot(() -> post(uncached, "cash", 4));

            assertThat(find(uncached, "cash")).contains(v1);
        }
    }

    /**
     * Whatever units of work commit, roll back or fail, nested or not, and whatever the cache's size,
     * the book shows exactly what the store holds, and the store exactly what committed.
     */
    @Test
    void theBookShowsWhatCommittedWhateverHappensToItsUnitsOfWork() {
        Seeded.forAll("the book shows what committed", 200, ScopedBookTest::script, script -> {
            InMemoryBookStore scriptStore = new InMemoryBookStore();
            ScopedBook scriptBook = new ScopedBook(scriptStore, script.cacheMax(), LOCK_WAIT_MS);
            Map<String, Long> expected = new HashMap<>();
            Map<String, Long> versions = new HashMap<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                scriptBook.record(opening("a" + i));
                expected.put("a" + i, 0L);
                versions.put("a" + i, 0L);
            }
            for (RootRun run : script.runs()) {
                run.apply(scriptBook, scriptStore, expected, versions);
                for (int i = 0; i < ACCOUNTS; i++) {
                    String account = "a" + i;
                    AccountState stored = scriptStore.state(TENANT, account);
                    assertThat(stored.debitsPosted()).as("stored debits of %s after %s", account, run)
                            .isEqualTo(expected.get(account));
                    assertThat(stored.version()).as("stored version of %s after %s", account, run)
                            .isEqualTo(versions.get(account));
                    assertThat(find(scriptBook, account)).as("the book's %s after %s", account, run).contains(stored);
                }
            }
        });
    }

    private static final int ACCOUNTS = 6;

    record Script(int cacheMax, List<RootRun> runs) {
    }

    /** Postings of one nested unit of work (amounts on accounts, by index), which commits or rolls back. */
    record NestedRun(List<int[]> postings, boolean commits) {
    }

    /**
     * A root unit of work: postings of its own, then nested ones; it commits (failing at the store
     * if {@code writeFails}) or rolls back; now and then the whole cache is evicted after it.
     */
    record RootRun(List<int[]> postings, List<NestedRun> nested, boolean commits, boolean writeFails,
                   boolean evictAfter) {
        void apply(ScopedBook book, InMemoryBookStore store, Map<String, Long> expected, Map<String, Long> versions) {
            Map<String, Long> changes = new HashMap<>();
            Map<String, Long> changed = new HashMap<>();
            if (writeFails) {
                store.failNextWrite(new IllegalStateException("write failed"));
            }
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            postAll(book, postings, changes, changed);
            for (NestedRun run : nested) {
                DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
                Map<String, Long> nestedChanges = new HashMap<>();
                Map<String, Long> nestedChanged = new HashMap<>();
                postAll(book, run.postings(), nestedChanges, nestedChanged);
                if (run.commits()) {
                    unit.commit();
                    nestedChanges.forEach((a, m) -> changes.merge(a, m, Long::sum));
                    nestedChanged.forEach((a, n) -> changed.merge(a, n, Long::sum));
                } else {
                    unit.rollback();
                }
            }
            boolean writes = !changed.isEmpty();
            boolean committed = false;
            if (commits) {
                try {
                    root.commit();
                    committed = true;
                } catch (IllegalStateException failed) {
                    assertThat(writeFails).as("the commit failed: %s", failed).isTrue();
                }
            } else {
                root.rollback();
            }
            store.failNextWrite(null); // the failure is for this root only (it writes nothing when it has nothing)
            assertThat(committed).as("committed").isEqualTo(commits && !(writeFails && writes));
            if (committed) {
                changes.forEach((a, m) -> expected.merge(a, m, Long::sum));
                changed.forEach((a, n) -> versions.merge(a, n, Long::sum));
            }
            if (evictAfter) {
                book.evictAll();
            }
        }

        private static void postAll(ScopedBook book, List<int[]> postings, Map<String, Long> changes,
                                    Map<String, Long> changed) {
            for (int[] posting : postings) {
                String account = "a" + posting[0];
                post(book, account, posting[1]);
                changes.merge(account, (long) posting[1], Long::sum);
                changed.merge(account, 1L, Long::sum);
            }
        }

        @Override
        public String toString() {
            return "RootRun[postings=" + show(postings) + ", nested=" + nested.stream()
                    .map(n -> show(n.postings()) + (n.commits() ? " commits" : " rolls back")).toList()
                    + ", commits=" + commits + ", writeFails=" + writeFails + ", evictAfter=" + evictAfter + "]";
        }

        private static String show(List<int[]> postings) {
            return postings.stream().map(p -> "a" + p[0] + "+" + p[1]).toList().toString();
        }
    }

    static Script script(SplittableRandom r) {
        int cacheMax = Seeded.oneOf(r, 0, 1, 2, 3, 1_000);
        List<RootRun> runs = new ArrayList<>();
        for (int i = between(r, 1, 12); i > 0; i--) {
            List<NestedRun> nested = new ArrayList<>();
            for (int n = between(r, 0, 3); n > 0; n--) {
                nested.add(new NestedRun(postings(r), r.nextInt(3) > 0));
            }
            runs.add(new RootRun(postings(r), nested, r.nextInt(4) > 0, r.nextInt(6) == 0, r.nextInt(8) == 0));
        }
        return new Script(cacheMax, runs);
    }

    private static List<int[]> postings(SplittableRandom r) {
        List<int[]> postings = new ArrayList<>();
        for (int i = between(r, 0, 3); i > 0; i--) {
            postings.add(new int[] {r.nextInt(ACCOUNTS), between(r, 1, 100)});
        }
        return postings;
    }

    // ---------------------------------------------------------------- locks

    /** The book's stripe of an account, as it computes it (to pick accounts whose lock order is known). */
    private static int stripe(Key key) {
        int h = key.tenant().hashCode() * 31 + key.accountId().hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** An account of another tenant whose stripe comes after {@code stripe}. */
    private static Key keyAfter(int stripe) {
        for (int i = 0; ; i++) {
            Key key = new Key("probe", "p" + i);
            if (stripe(key) > stripe) {
                return key;
            }
        }
    }

    /** An account of {@code TENANT} in one of the lower stripes (so that keys after it are easy to find). */
    private static String lowAccount(int skip) {
        int found = 0;
        for (int i = 0; ; i++) {
            String account = "low" + i;
            if (stripe(key(account)) < STRIPES / 4 && found++ == skip) {
                return account;
            }
        }
    }

    /**
     * Whether another unit of work, on another thread, would find {@code account} locked: it takes a
     * lock of a later stripe first, so the account's lock is out of order and waited for at most
     * the lock wait (rather than for ever).
     */
    private boolean lockedElsewhere(String account) throws Exception {
        return lockedElsewhere(key(account));
    }

    private boolean lockedElsewhere(Key target) throws Exception {
        Key after = keyAfter(stripe(target));
        Future<Boolean> probe = elsewhere.submit(() -> {
            DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
            try {
                book.lockKeys(List.of(after));
                book.lockKeys(List.of(target));
                return false;
            } catch (LockTimeout busy) {
                return true;
            } finally {
                unit.rollback();
            }
        });
        return probe.get(10, TimeUnit.SECONDS);
    }

    private void lock(String... accounts) {
        book.lock(ACME, java.util.Arrays.stream(accounts).map(AccountId::of).toList());
    }

    @Nested
    class Locks {
        private final String cash = lowAccount(0);
        private final String bank = lowAccount(1);

        @Test
        void theProbeSeesALockHeldElsewhere() throws Exception {
            assertThat(stripe(keyAfter(stripe(key(cash))))).isGreaterThan(stripe(key(cash)));
            assertThat(lockedElsewhere(cash)).isFalse();
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            lock(cash);

            assertThat(lockedElsewhere(cash)).isTrue();
            root.commit();
        }

        @Test
        void lockingOutsideAUnitOfWorkHoldsNothing() throws Exception {
            lock(cash, bank);

            assertThat(lockedElsewhere(cash)).isFalse();
            assertThat(lockedElsewhere(bank)).isFalse();
        }

        @Test
        void aRootHoldsItsAccountsUntilItCommits() throws Exception {
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            lock(cash, bank);

            assertThat(lockedElsewhere(cash)).isTrue();
            assertThat(lockedElsewhere(bank)).isTrue();
            root.commit();
            assertThat(lockedElsewhere(cash)).isFalse();
            assertThat(lockedElsewhere(bank)).isFalse();
        }

        @Test
        void aRootHoldsItsAccountsUntilItRollsBack() throws Exception {
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            lock(cash);
            root.rollback();

            assertThat(lockedElsewhere(cash)).isFalse();
        }

        /** A lock asked for again is not taken again: one release at the end frees it. */
        @Test
        void askingAgainForAHeldAccountIsANoOp() throws Exception {
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            lock(cash);
            lock(cash, cash);
            lock(bank, cash);
            DefaultUnitOfWork<?> nested = DefaultUnitOfWork.startAndGet(null);
            lock(cash);
            nested.commit();
            root.commit();

            assertThat(lockedElsewhere(cash)).isFalse();
            assertThat(lockedElsewhere(bank)).isFalse();
        }

        @Test
        void aNestedUnitOfWorkLocksForItsRoot() throws Exception {
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            DefaultUnitOfWork<?> committing = DefaultUnitOfWork.startAndGet(null);
            lock(cash);
            committing.commit();
            DefaultUnitOfWork<?> rollingBack = DefaultUnitOfWork.startAndGet(null);
            lock(bank);
            rollingBack.rollback();

            assertThat(lockedElsewhere(cash)).as("after the nested one committed").isTrue();
            assertThat(lockedElsewhere(bank)).as("after the nested one rolled back").isTrue();
            root.commit();
            assertThat(lockedElsewhere(cash)).isFalse();
            assertThat(lockedElsewhere(bank)).isFalse();
        }

        @Test
        void anotherUnitOfWorkWaitsForAnAccountTakenInOrderUntilTheHolderEnds() throws Exception {
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            lock(cash);
            CountDownLatch asking = new CountDownLatch(1);
            Future<Boolean> waiter = elsewhere.submit(() -> {
                DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
                try {
                    asking.countDown();
                    lock(cash);
                    return true;
                } finally {
                    unit.commit();
                }
            });
            asking.await();

            Thread.sleep(3 * LOCK_WAIT_MS);
            assertThat(waiter).as("still waiting (in order, so without a time limit)").isNotDone();
            root.commit();
            assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void aLockAskedForOutOfOrderIsWaitedForAtMostTheLockWait() throws Exception {
            Key later = keyAfter(stripe(key(cash)));
            DefaultUnitOfWork<?> root = DefaultUnitOfWork.startAndGet(null);
            lock(cash);
            Future<Long> waited = elsewhere.submit(() -> {
                DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
                long start = System.nanoTime();
                try {
                    book.lockKeys(List.of(later));
                    book.lockKeys(List.of(key(cash)));
                    throw new AssertionError("got a lock held elsewhere");
                } catch (LockTimeout expected) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                } finally {
                    unit.rollback();
                }
            });

            assertThat(waited.get(10, TimeUnit.SECONDS)).isBetween(LOCK_WAIT_MS, 20 * LOCK_WAIT_MS);
            assertThat(lockedElsewhere(later)).as("the timed-out unit of work released what it held").isFalse();
            assertThat(lockedElsewhere(cash)).as("still held by its root").isTrue();
            root.commit();
        }

        /** Locks of one call are taken in stripe order: two units of work asking in opposite orders never deadlock. */
        @Test
        void unitsOfWorkAskingForTheSameAccountsInOppositeOrdersDoNotDeadlock() throws Exception {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                boolean reversed = w % 2 == 1;
                workers.add(elsewhere.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
                        if (reversed) {
                            lock(bank, cash);
                        } else {
                            lock(cash, bank);
                        }
                        unit.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        }

        /** Two units of work of this JVM never change one account at once: no update is lost. */
        @Test
        void concurrentUnitsOfWorkChangingOneAccountLoseNoUpdate() throws Exception {
            book.record(opening(cash));
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                workers.add(elsewhere.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        inRoot(() -> {
                            lock(cash);
                            return post(cash, 1);
                        });
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }

            assertThat(store.state(TENANT, cash).debitsPosted()).isEqualTo(1_000);
            assertThat(store.state(TENANT, cash).version()).isEqualTo(1_000);
            assertThat(find(cash)).isEqualTo(store.state(TENANT, cash));
        }
    }
}
