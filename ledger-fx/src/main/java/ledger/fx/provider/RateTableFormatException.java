package ledger.fx.provider;

import java.nio.file.Path;

/** A rates file that cannot be used, with the line (1-based) and the reason. */
public final class RateTableFormatException extends Exception {
    private final int line;

    public RateTableFormatException(Path file, int line, String why) {
        super(file + " line " + line + ": " + why);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
