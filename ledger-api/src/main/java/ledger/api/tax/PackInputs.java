package ledger.api.tax;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Type;
import ledger.tax.rules.Value;

/**
 * Turns the text of an input (a JSON body's member, or a {@code payroll.input.*} metadata value) into a
 * value of the type the pack declares (docs/tax-prefill.md, "Inputs"). Money and decimals are decimal
 * strings, never JSON numbers, so no reader turns them into floating point; the range and enum
 * checks are the pack's own, at evaluation.
 */
final class PackInputs {
    static final int INPUTS_MAX = 100;
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,30}(\\.\\d{1,30})?");
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");

    private PackInputs() {
    }

    /** The body's {@code inputs} object for {@code pack}; {@code where} names it in refusals. */
    static Map<String, Value> fromJson(RulePack pack, JsonNode inputs, String where) {
        if (inputs == null || inputs.isNull()) {
            return Map.of();
        }
        if (!inputs.isObject()) {
            throw Refusal.validation(where + " must be a JSON object of input names and values");
        }
        if (inputs.size() > INPUTS_MAX) {
            throw Refusal.validation(where + " has more than " + INPUTS_MAX + " members");
        }
        Map<String, Type> types = pack.inputTypes();
        Map<String, Value> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String name = member.getKey();
            Type type = types.get(name);
            if (type == null) {
                throw new Refusal(Codes.TAX_INPUT_INVALID, where + "." + name + ": pack " + pack.id().name()
                        + " has no input '" + name + "' (inputs: " + String.join(", ", types.keySet()) + ")");
            }
            JsonNode node = member.getValue();
            String text = scalar(node, type);
            if (text == null) {
                throw new Refusal(Codes.TAX_INPUT_INVALID, where + "." + name + " must be " + expected(type)
                        + ", got JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
            values.put(name, parse(type, text, Codes.TAX_INPUT_INVALID, where + "." + name));
        }
        return values;
    }

    /** JSON strings for everything; JSON booleans and whole numbers also where the type is boolean or integer. */
    private static String scalar(JsonNode node, Type type) {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (type == Type.BooleanType.INSTANCE && node.isBoolean()) {
            return node.asText();
        }
        if (type == Type.IntegerType.INSTANCE && node.isIntegralNumber()) {
            return node.asText();
        }
        return null;
    }

    /** One input's text as a value of {@code type}; a refusal with {@code code} naming {@code where} otherwise. */
    static Value parse(Type type, String text, String code, String where) {
        if (type instanceof Type.MoneyType money) {
            if (!DECIMAL.matcher(text).matches()) {
                throw bad(code, where, text, type);
            }
            return Value.money(new BigDecimal(text), money.currency());
        }
        if (type instanceof Type.EnumType enumType) {
            String prefix = enumType.name() + ".";
            String member = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
            if (member.isEmpty() || member.length() > 64) {
                throw bad(code, where, text, type);
            }
            return Value.enumValue(enumType.name(), member);
        }
        if (type == Type.DecimalType.INSTANCE) {
            if (!DECIMAL.matcher(text).matches()) {
                throw bad(code, where, text, type);
            }
            return Value.decimal(text);
        }
        if (type == Type.IntegerType.INSTANCE) {
            if (!INTEGER.matcher(text).matches()) {
                throw bad(code, where, text, type);
            }
            return Value.integer(Long.parseLong(text));
        }
        if (type == Type.BooleanType.INSTANCE) {
            if (!text.equals("true") && !text.equals("false")) {
                throw bad(code, where, text, type);
            }
            return Value.bool(Boolean.parseBoolean(text));
        }
        try {
            return new Value.Date(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            throw bad(code, where, text, type);
        }
    }

    private static Refusal bad(String code, String where, String text, Type type) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new Refusal(code, where + " = \"" + shown + "\" is not " + expected(type));
    }

    static String expected(Type type) {
        if (type instanceof Type.MoneyType money) {
            return "an amount in " + money.currency() + " as a decimal string such as \"1234.50\"";
        }
        if (type instanceof Type.EnumType enumType) {
            return "a member of " + enumType.name() + " as a string";
        }
        if (type == Type.DecimalType.INSTANCE) {
            return "a decimal string such as \"2.9\"";
        }
        if (type == Type.IntegerType.INSTANCE) {
            return "a whole number";
        }
        if (type == Type.BooleanType.INSTANCE) {
            return "true or false";
        }
        return "a date YYYY-MM-DD";
    }
}
