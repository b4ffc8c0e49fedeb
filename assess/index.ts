/**
 * Public API of the assess area: `brink assess` (runAssessment and its exit gate), and the chat
 * child and socket crowd the NF-8 probe and `npm run bench:realtime` share.
 *
 * Importing it stays light: runAssessment loads the steps and probes (and through them the
 * platform's code) on first call, so the realtime benchmark's client process holds only the crowd.
 */
export type { AssessEvents, AssessOptions, AssessResult } from './run.ts';
export { FAIL_ON, gateFailures, parseFailOn, type FailOn, type GateInput } from './gate.ts';
export { startChatChild, type ChatChild } from './chat-child.ts';
export { connectAll, disconnectAll, heldSockets, type CrowdConnect } from './socket-crowd.ts';
export { processMemoryMb } from './cpu.ts';

/** Runs a whole assessment (assess/run.ts): stack, seed, load, probes, chaos, report. */
export async function runAssessment(...a: Parameters<typeof import('./run.ts').runAssessment>) {
  return (await import('./run.ts')).runAssessment(...a);
}
