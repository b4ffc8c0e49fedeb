/**
 * What every started stack component is (testcontainers' StartedTestContainer, reduced to what a
 * local process needs): its process, where it answers, its version, and how to stop it, also as
 * `await using`. Each component's start function builds one with `started()`.
 */
import type { StartedHandle } from '../../core/index.ts';
import { stopProcessGroup, type SpawnedProcess } from '../processes.ts';

/** stop() stops the process group: SIGTERM, then SIGKILL after the component's grace period. */
export interface StartedComponent extends StartedHandle {
  process: SpawnedProcess;
  url: string;
  port: number;
  version: string;
}

export function started<T extends Omit<StartedComponent, 'stop' | typeof Symbol.asyncDispose>>(fields: T, graceMs = 5000): T & StartedComponent {
  const stop = () => stopProcessGroup(fields.process.pid, graceMs);
  return { ...fields, stop, [Symbol.asyncDispose]: stop };
}
