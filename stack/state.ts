/** The one state file a running stack is described by; later commands read it. */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { BrinkError, STACK_STATE_FILE } from '../core/index.ts';
import { isAlive } from './processes.ts';
import type { StackState } from './types.ts';

export function writeStackState(state: StackState, file = STACK_STATE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readStackStateFile(file = STACK_STATE_FILE): StackState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as StackState;
    if (state.schemaVersion !== 1) throw new Error(`schemaVersion ${String(state.schemaVersion)}`);
    return state;
  } catch (e) {
    throw new BrinkError('STACK_STALE', `stack state file ${file} is unreadable (${(e as Error).message})`, {
      suggestion: `remove it, or run "brink stack down" to clean up`,
    });
  }
}

export function removeStackState(file = STACK_STATE_FILE): void {
  rmSync(file, { force: true });
}

/** Processes of the state that are no longer running (a crashed run leaves some). */
export function deadProcesses(state: StackState): { name: string; pid: number }[] {
  return state.processes.filter((p) => !isAlive(p.pid));
}

/**
 * The running stack, for commands that need one. Throws STACK_NOT_RUNNING when there is none and
 * STACK_STALE when the file describes processes that have died.
 */
export function readStackState(file = STACK_STATE_FILE): StackState {
  const state = readStackStateFile(file);
  if (!state) {
    throw new BrinkError('STACK_NOT_RUNNING', `no stack is running (no state file at ${file})`, { suggestion: 'start one with "brink stack up"' });
  }
  const dead = state.provider === 'local' ? deadProcesses(state) : [];
  if (dead.length > 0) {
    throw new BrinkError('STACK_STALE', `stale stack state file ${file}: ${dead.map((p) => `${p.name} (pid ${p.pid})`).join(', ')} not running`, {
      suggestion: 'run "brink stack down" to clean up, then "brink stack up"',
    });
  }
  return state;
}
