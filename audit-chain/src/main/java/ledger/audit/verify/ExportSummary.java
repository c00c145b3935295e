package ledger.audit.verify;

/** What a successful verification proved. {@link #toString()} is the one-line summary. */
public record ExportSummary(String ledgerId, String tenant, long fromPosition, long toPosition, long treeSize,
        String rootHash, String issuedAt, String keyId, int aggregates, int earlierCheckpoints) {

    @Override
    public String toString() {
        return "OK ledger " + ledgerId + " tenant " + tenant + ": events " + fromPosition + ".." + toPosition
                + " (" + (toPosition - fromPosition + 1) + " events, " + aggregates + " aggregates) "
                + (fromPosition == 0 ? "form the Merkle tree" : "are included in the Merkle tree")
                + " of size " + treeSize + " with root " + rootHash + ", signed by key " + keyId + " at " + issuedAt
                + "; " + earlierCheckpoints + " earlier checkpoint(s) consistent";
    }
}
