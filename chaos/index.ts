/**
 * Public API of the chaos area: Toxiproxy faults with units in their names, the client, the
 * experiment runner and registry, and runExperiment. The CLI and `brink assess` use only this.
 */
// The Toxiproxy client and the toxics' units table live in stack (the stack, the platform's hops
// and the probes use them too); chaos is where users find them.
export {
  ToxiproxyClient, type ProxyView, type ToxicView,
  TOXIC_ATTRIBUTES, TOXIC_TYPES, STREAMS, BRINK_TOXIC_PREFIX, attributeNames, parseToxicType, parseStream, parseToxicity,
  buildToxic, parseToxicArgs, toWire, fromWire, describeToxic, toxicHelp,
  type ToxicType, type Stream, type ToxicSpec, type ToxicPlacement, type PlacedToxic, type WireToxic,
} from '../stack/index.ts';
export { ExperimentRunner, type PreparedExperiment, type FaultStep, type FaultAction, type Timing, type ProbeSpec, type RunnerEvents } from './experiment.ts';
export { evaluateHypothesis, hypothesis, tolerance, type Hypothesis, type Tolerance, type Measurements, type Phase } from './hypothesis.ts';
export { computeSlis, timeSeries, timeToDetectMs, timeToRecoverMs, type Sample, type Slis } from './slis.ts';
export { CHAOS_PROFILES, type ChaosProfile, type ExperimentDescriptor } from './descriptor.ts';
export { EXPERIMENTS } from './experiments/index.ts';
export { runExperiment, parseChaosProfile, type RunExperimentOptions } from './run.ts';
export { BACKGROUND_PROFILES, checkBackgroundScenario, runBackgroundLoad, type BackgroundLoadResult, type BackgroundProfile } from './background-load.ts';
