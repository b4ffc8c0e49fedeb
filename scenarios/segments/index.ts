/**
 * Public API of segments: split a plan (`--segment i/N`), run every segment on one machine
 * (`--instances N`), merge segment results or k6 CSV output (`brink merge`), and the Kubernetes
 * manifests that run segments as an Indexed Job or a k6-operator TestRun (`brink k8s manifest`).
 */
export { parseSegment, type SegmentId } from './stripe.ts';
export { runInstances, type InstancesResult } from './instances.ts';
export { mergeRun, type MergeOptions, type Merged } from './merge.ts';
export { SEGMENT_FILE } from './result.ts';
