package ledger.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void digestsTheFips180Vectors() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Sha256.hex(Sha256.digest(new byte[0])));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.hex(Sha256.digest("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void hexIsLowercaseAndUnhexIsItsInverse() {
        byte[] bytes = {0, 1, (byte) 0xab, (byte) 0xff, 0x7f};
        assertEquals("0001abff7f", Sha256.hex(bytes));
        assertArrayEquals(bytes, Sha256.unhex("0001abff7f"));
        assertArrayEquals(new byte[0], Sha256.unhex(""));
    }

    @Test
    void unhexRejectsUppercaseOddLengthAndOtherCharacters() {
        assertThrows(IllegalArgumentException.class, () -> Sha256.unhex("AB"));
        assertThrows(IllegalArgumentException.class, () -> Sha256.unhex("abc"));
        assertThrows(IllegalArgumentException.class, () -> Sha256.unhex("zz"));
        assertThrows(IllegalArgumentException.class, () -> Sha256.unhex(null));
    }

    @Test
    void isHexChecksLengthAndAlphabet() {
        assertTrue(Sha256.isHex("00ff", 2));
        assertFalse(Sha256.isHex("00ff", 3));
        assertFalse(Sha256.isHex("00FF", 2));
        assertFalse(Sha256.isHex(null, 2));
    }
}
