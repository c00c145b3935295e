package ledger.tax.rules;

/** Static types of the rule language, checked when a pack is loaded (docs/tax-rules.md, "Types"). */
public sealed interface Type {

    record MoneyType(String currency) implements Type {
        @Override
        public String toString() {
            return "money[" + currency + "]";
        }
    }

    enum DecimalType implements Type {
        INSTANCE;

        @Override
        public String toString() {
            return "decimal";
        }
    }

    enum IntegerType implements Type {
        INSTANCE;

        @Override
        public String toString() {
            return "integer";
        }
    }

    enum DateType implements Type {
        INSTANCE;

        @Override
        public String toString() {
            return "date";
        }
    }

    enum BooleanType implements Type {
        INSTANCE;

        @Override
        public String toString() {
            return "boolean";
        }
    }

    record EnumType(String name) implements Type {
        @Override
        public String toString() {
            return name;
        }
    }

    /** True for the types that take part in arithmetic. */
    default boolean isNumeric() {
        return this instanceof MoneyType || this == DecimalType.INSTANCE || this == IntegerType.INSTANCE;
    }
}
