package ledger.api.web;

/** Checks for fields every request must carry; absent means {@code validation_failed}, naming the field. */
final class RequestFields {
    private RequestFields() {
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiProblem.validation("field \"" + field + "\" is required");
        }
        return value;
    }

    static <T> T body(T body) {
        if (body == null) {
            throw ApiProblem.validation("the body must be a JSON object");
        }
        return body;
    }
}
