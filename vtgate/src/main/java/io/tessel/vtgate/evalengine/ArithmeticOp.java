package io.tessel.vtgate.evalengine;

/** The arithmetic operators of {@link Expr.Arithmetic}, with their SQL symbols. */
public enum ArithmeticOp {
    ADD("+"),
    SUBTRACT("-"),
    MULTIPLY("*"),
    /** {@code /}: DECIMAL for exact operands, DOUBLE otherwise; NULL when dividing by zero. */
    DIVIDE("/"),
    /** {@code DIV}: integer division truncating toward zero; NULL when dividing by zero. */
    INTEGER_DIVIDE("div"),
    /** {@code %} / {@code MOD}: remainder with the sign of the dividend; NULL when dividing by zero. */
    MODULO("%");

    private final String symbol;

    ArithmeticOp(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
