/**
 * The reference platform's public surface for the harness. It grows as deep imports move here
 * (.dependency-cruiser-known-violations.json lists those left).
 */
export { putSwitches, switchChangeProblem, type SwitchesAnswer } from './switches-client.ts';
