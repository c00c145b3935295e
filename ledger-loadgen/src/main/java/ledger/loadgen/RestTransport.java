package ledger.loadgen;

import java.util.List;

/** One {@code POST /v1/transfers} per transfer, on the client's own HTTP/1.1 connection. */
final class RestTransport implements Transport {
    private final RestClient rest;

    RestTransport(RestClient rest) {
        this.rest = rest;
    }

    @Override
    public List<Outcome> submit(List<Transfer> transfers) {
        if (transfers.size() != 1) {
            throw new IllegalArgumentException("REST posts one transfer per request");
        }
        Transfer t = transfers.get(0);
        RestClient.Result result = rest.transfer(t.id(), t.debit(), t.credit(), t.amount(), t.currency());
        return List.of(result.status() == 201 && !result.replayed() ? Outcome.CREATED
                : Outcome.refused(result.status() == 201 ? "replayed" : result.status() + " " + result.code()));
    }

    @Override
    public void openAccount(String id, String currency, String kind, String overdraftLimit) {
        rest.openAccount(id, currency, kind, overdraftLimit);
    }

    @Override
    public int batchMax() {
        return 1;
    }

    @Override
    public void close() {
        rest.close();
    }
}
