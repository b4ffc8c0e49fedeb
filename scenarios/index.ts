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

// k6: its binary, and the plans both engines run (scenarios/k6/lib/plans.js, typed by plans.d.ts).
export { findK6, k6Binary, k6Version } from './k6-binary.ts';
export { planFor, type ExecutorConfig, type Plan, type Stage } from './k6/lib/plans.js';
export { HTTP_METRICS } from './thresholds.ts';

// The Node load engine (benchmarks drive it directly) and its schedule.
export { LoadEngine, type EngineEvents, type EngineResult, type EngineRunOptions, type EngineTick, type ScenarioRef } from './engine/engine.ts';
export { Recorder } from './engine/recorder.ts';
export { compileSchedule, planDurationS, scheduleOf, type Schedule } from './engine/schedule.ts';
export { BENCH_SCENARIO_REF, benchGetScenario } from './engine/bench-scenario.ts';

// Distributed runs: segments, instances, merging, Kubernetes manifests.
export * from './segments/index.ts';
export { progressLine } from './segments/progress.ts';
export { brinkJobManifests, k6TestRunManifests, type ManifestOptions } from './segments/k8s.ts';

// Resource attribution during a run (which process used the CPU).
export * from './attribution/index.ts';
export { readAllProcs, treeOf, type ProcTimes } from './attribution/proc-stat.ts';
