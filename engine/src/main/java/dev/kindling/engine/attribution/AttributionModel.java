package dev.kindling.engine.attribution;

/** How an opportunity's amount is shared among its touches (docs/attribution.md has the table). */
public enum AttributionModel {
    FIRST_TOUCH,
    LAST_TOUCH,
    LINEAR,
    U_SHAPED,
    W_SHAPED,
    FULL_PATH,
    TIME_DECAY,
    PRIMARY_CAMPAIGN;

    /** Whether the model can credit opportunities of this basis ({@code FULL_PATH} needs the close). */
    public boolean supports(Basis basis) {
        return this != FULL_PATH || basis == Basis.WON;
    }
}
