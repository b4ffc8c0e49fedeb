export { startAttribution, hopTimings, readHopSums, type AttributionOptions, type AttributionSampler, type HopSums } from './sampler.ts';
export { findSaturation, topConsumer } from './saturation.ts';
export { describeAttribution } from './describe.ts';
