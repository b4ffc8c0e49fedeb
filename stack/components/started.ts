/**
 * What every started stack component is (testcontainers' StartedTestContainer, reduced to what a
 * local process needs): its process, where it answers, its version, and how to stop it, also as
 * `await using`. Each component's start function builds one with `started()`.
 */
import { stopProcessGroup, type SpawnedProcess } from '../processes.ts';

export interface StartedComponent {
  process: SpawnedProcess;
  url: string;
  port: number;
  version: string;
  /** Stops the process group: SIGTERM, then SIGKILL after the component's grace period. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export function started<T extends Omit<StartedComponent, 'stop' | typeof Symbol.asyncDispose>>(fields: T, graceMs = 5000): T & StartedComponent {
  const stop = () => stopProcessGroup(fields.process.pid, graceMs);
  return { ...fields, stop, [Symbol.asyncDispose]: stop };
}
