/**
 * The most sampling steps a restore may take. The engine refuses more, plugin step budgets stay within
 * it, and the host's protocol, command line and API documents state it. Importable on its own as
 * `@fluxir/core/step-limit`, without loading the engine.
 */
export const MAX_STEPS = 32;

/** How the limit reads in messages: "an integer from 1 to 32". */
export const STEPS_EXPECTED = `an integer from 1 to ${MAX_STEPS}`;
