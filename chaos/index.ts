/**
 * Public API of the chaos area: Toxiproxy faults with units in their names, the client, the
 * experiment runner and registry, and runExperiment. The CLI and `brink assess` use only this.
 */
export * from './toxics.ts';
export { ToxiproxyClient, type ProxyView, type ToxicView } from './client.ts';
export { ExperimentRunner, type PreparedExperiment, type FaultStep, type FaultAction, type Timing, type ProbeSpec, type RunnerEvents } from './experiment.ts';
export { evaluateHypothesis, hypothesis, tolerance, type Hypothesis, type Tolerance, type Measurements, type Phase } from './hypothesis.ts';
export { computeSlis, timeSeries, timeToDetectMs, timeToRecoverMs, type Sample, type Slis } from './slis.ts';
export { CHAOS_PROFILES, type ChaosProfile, type ExperimentDescriptor } from './descriptor.ts';
export { EXPERIMENTS } from './experiments/index.ts';
export { runExperiment, parseChaosProfile, type RunExperimentOptions } from './run.ts';
export { BACKGROUND_PROFILES, checkBackgroundScenario, runBackgroundLoad, type BackgroundLoadResult, type BackgroundProfile } from './background-load.ts';
