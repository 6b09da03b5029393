package io.tessel.vtgate.evalengine;

/** The comparison operators of {@link Expr.Comparison}, with their SQL symbols. */
public enum ComparisonOp {
    EQUAL("="),
    NOT_EQUAL("<>"),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    /** {@code <=>}: like {@code =} but NULL {@code <=>} NULL is 1 and NULL against a value is 0, never NULL. */
    NULL_SAFE_EQUAL("<=>");

    private final String symbol;

    ComparisonOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** Whether the operator holds for a comparison result (negative, zero or positive). */
    public boolean holds(int comparison) {
        return switch (this) {
            case EQUAL, NULL_SAFE_EQUAL -> comparison == 0;
            case NOT_EQUAL -> comparison != 0;
            case LESS -> comparison < 0;
            case LESS_OR_EQUAL -> comparison <= 0;
            case GREATER -> comparison > 0;
            case GREATER_OR_EQUAL -> comparison >= 0;
        };
    }
}
