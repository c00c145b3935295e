package ledger.tax.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A value of the rule language (docs/tax-rules.md, "Types"): exact decimals only, never a double.
 * Inputs are given as values and outputs come back as values.
 */
public sealed interface Value {

    /** The language type this value belongs to. */
    Type type();

    /** Amount in a currency; currencies never mix in arithmetic. */
    record Money(BigDecimal amount, String currency) implements Value {
        public Money {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
        }

        @Override
        public Type type() {
            return new Type.MoneyType(currency);
        }

        @Override
        public String toString() {
            return amount.toPlainString() + " " + currency;
        }
    }

    /** A plain decimal such as a rate (0.03) or a factor. */
    record Decimal(BigDecimal value) implements Value {
        public Decimal {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Type type() {
            return Type.DecimalType.INSTANCE;
        }

        @Override
        public String toString() {
            return value.toPlainString();
        }
    }

    /** A whole number such as a month or a count of dependants. */
    record Int(BigInteger value) implements Value {
        public Int {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Type type() {
            return Type.IntegerType.INSTANCE;
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Date(LocalDate value) implements Value {
        public Date {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Type type() {
            return Type.DateType.INSTANCE;
        }

        @Override
        public String toString() {
            return value.toString();
        }
    }

    record Bool(boolean value) implements Value {
        @Override
        public Type type() {
            return Type.BooleanType.INSTANCE;
        }

        @Override
        public String toString() {
            return java.lang.Boolean.toString(value);
        }
    }

    /** A member of an enumeration declared in the rule pack, e.g. {@code Column.KOU}. */
    record EnumMember(String enumName, String member) implements Value {
        public EnumMember {
            Objects.requireNonNull(enumName, "enumName");
            Objects.requireNonNull(member, "member");
        }

        @Override
        public Type type() {
            return new Type.EnumType(enumName);
        }

        @Override
        public String toString() {
            return enumName + "." + member;
        }
    }

    static Money money(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    static Money money(BigDecimal amount, String currency) {
        return new Money(amount, currency);
    }

    static Decimal decimal(String value) {
        return new Decimal(new BigDecimal(value));
    }

    static Int integer(long value) {
        return new Int(BigInteger.valueOf(value));
    }

    static Date date(String isoDate) {
        return new Date(LocalDate.parse(isoDate));
    }

    static Bool bool(boolean value) {
        return new Bool(value);
    }

    static EnumMember enumValue(String enumName, String member) {
        return new EnumMember(enumName, member);
    }
}
