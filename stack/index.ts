/** The stack launcher's public API: start, describe, stop the real stack; fresh databases. */
import { rmSync, existsSync } from 'node:fs';
import { BrinkError, unknownName } from '../core/index.ts';
import { startLocalStack, stopLocalProcesses, type LocalStackOptions } from './local.ts';
import { startExternalStack, type ExternalStackOptions } from './external.ts';
import { startDockerStack, stopDockerStack } from './docker.ts';
import { silent, type StackListener } from './events.ts';
import { PROVIDERS, type Provider, type StackState } from './types.ts';

export * from './types.ts';
export * from './events.ts';
export { readStackState, readStackStateFile, writeStackState, removeStackState, deadProcesses } from './state.ts';
export { createDatabase, withDatabase, type CreatedDatabase } from './database.ts';
export { PLATFORM_DATABASE, TEMPLATE_DATABASE, checkBinaries } from './local.ts';
export { checkHealth } from './health.ts';
export { startPlatformProcess, stopPlatformProcess } from './platform-process.ts';
export { setup, type SetupEvent, type SetupResult } from './setup/install.ts';
export { processesOf } from './proc-scan.ts';

export interface StartStackOptions extends LocalStackOptions, ExternalStackOptions {
  provider?: string;
}

export function parseProvider(value: string): Provider {
  if (!(PROVIDERS as readonly string[]).includes(value)) throw unknownName('provider', value, PROVIDERS);
  return value as Provider;
}

export async function startStack(opts: StartStackOptions = {}): Promise<StackState> {
  const provider = parseProvider(opts.provider ?? 'local');
  switch (provider) {
    case 'local':
      return startLocalStack(opts);
    case 'external':
      return startExternalStack(opts);
    case 'docker':
      return startDockerStack(opts);
  }
}

/** Stops everything the stack started and removes its directory. Safe to call twice. */
export async function stopStack(state: StackState, onEvent: StackListener = silent): Promise<void> {
  if (state.provider === 'local') {
    await stopLocalProcesses(state, onEvent);
    if (state.dir && existsSync(state.dir)) rmSync(state.dir, { recursive: true, force: true });
  } else if (state.provider === 'docker') {
    await stopDockerStack(state, onEvent);
  } else if (state.platform) {
    // External infrastructure is not ours to stop; only the platform we started on it.
    const { stopPlatformProcess } = await import('./platform-process.ts');
    await stopPlatformProcess(state);
  }
}

/** Wraps a started stack for `await using` in tests and scripts. */
export function disposable(state: StackState): StackState & AsyncDisposable {
  return Object.assign(state, { [Symbol.asyncDispose]: () => stopStack(state) });
}

export function assertLocal(state: StackState, what: string): void {
  if (state.provider !== 'local') throw new BrinkError('INVALID_INPUT', `${what} needs the local provider; this stack is "${state.provider}"`);
}
export * from './toxiproxy/client.ts';
export * from './toxiproxy/toxics.ts';
