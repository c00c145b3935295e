package ledger.reconciliation.statement;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text one line at a time with a bound on the line's length, so a file without line
 * breaks cannot make the parser hold it whole. Accepts LF, CRLF and CR line ends.
 */
final class LineReader {
    private final Reader in;
    private final int lineLengthMax;
    private final StringBuilder line = new StringBuilder();
    private int lineNumber;
    private int pushedBack = -1;

    LineReader(Reader in, int lineLengthMax) {
        this.in = in;
        this.lineLengthMax = lineLengthMax;
    }

    /** The next line without its line end, or null at the end of the input. */
    String next() throws IOException, StatementFormatException {
        line.setLength(0);
        int c = pushedBack >= 0 ? pushedBack : in.read();
        pushedBack = -1;
        if (c < 0) {
            return null;
        }
        lineNumber++;
        while (c >= 0 && c != '\n' && c != '\r') {
            if (line.length() == lineLengthMax) {
                throw new StatementFormatException("line " + lineNumber,
                        "line is longer than " + lineLengthMax + " characters");
            }
            line.append((char) c);
            c = in.read();
        }
        if (c == '\r') {
            int after = in.read();
            if (after != '\n') {
                pushedBack = after;
            }
        }
        return line.toString();
    }

    int lineNumber() {
        return lineNumber;
    }
}
