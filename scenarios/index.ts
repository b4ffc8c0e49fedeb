/**
 * Public API of the scenarios area: the registry of scenarios and runScenario, which puts load on
 * the platform with k6 or the Node engine and returns a RunSummary (also written to the run
 * directory). It never throws on failed thresholds: the summary's status says "failed" and the
 * caller (the CLI) decides; it throws BrinkError for bad input (104) and ABORTED (105).
 */
export { runScenario } from './run.ts';
export { runRepeated, MAX_REPEAT, REPEATS_FILE, type RepeatedRun, type RepeatsIndex } from './repeat.ts';
export { SCENARIOS } from './registry.ts';
export { RunScenarioOptionsSchema, type RunScenarioOptions } from './options.ts';
export { parseThresholds, evaluateThresholds, validateExpression } from './thresholds.ts';
export { writeJunit } from './junit.ts';
export * from './types.ts';
