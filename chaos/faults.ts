/**
 * The method's faults and their schedule, as pure functions the runner applies: the order in
 * which faults start and stop, the 'during' and 'after' windows, and how a fault is labelled on
 * the timeline.
 */
import { describeToxic, type PlacedToxic } from '../stack/index.ts';
import type { Window } from './slis.ts';

/**
 * A toxic on a proxy, a proxy disabled (the component is down), or a fault Toxiproxy cannot make
 * (e.g. slow queries holding PgBouncer's pool): `custom` with its own start and stop.
 */
export type FaultAction =
  | { kind: 'toxic'; toxic: PlacedToxic }
  | { kind: 'disable' }
  | { kind: 'custom'; label: string; start(): Promise<void>; stop(): Promise<void> };

/** One fault of the method: on `proxy`, from startMs to stopMs after the method starts. */
export interface FaultStep {
  id: string;
  /** The Toxiproxy proxy, or what a custom fault acts on (a label, not checked). */
  proxy: string;
  action: FaultAction;
  startMs: number;
  stopMs: number;
}

export interface FaultEdge {
  /** Offset from the start of the method. */
  atMs: number;
  step: FaultStep;
  start: boolean;
}

/**
 * Every fault's start and stop, in time order; at the same instant stops come first, so a fault
 * that ends where the next begins is removed before the next is added.
 */
export function faultEdges(faults: readonly FaultStep[]): FaultEdge[] {
  return faults
    .flatMap((step) => [
      { atMs: step.startMs, step, start: true },
      { atMs: step.stopMs, step, start: false },
    ])
    .sort((a, b) => a.atMs - b.atMs || Number(a.start) - Number(b.start));
}

/** The 'during' window, in run time: from the first fault's start to the last fault's stop. */
export function faultWindow(faults: readonly FaultStep[], methodStartMs: number): Window {
  return {
    startMs: methodStartMs + Math.min(...faults.map((f) => f.startMs)),
    endMs: methodStartMs + Math.max(...faults.map((f) => f.stopMs)),
  };
}

/** The 'after' window: the last afterMs of the run, never reaching back into the faults. */
export function afterWindow(faultStopMs: number, endMs: number, afterMs: number): Window {
  return { startMs: Math.max(faultStopMs, endMs - afterMs), endMs };
}

/** How a fault's start reads on the timeline. */
export function faultLabel(step: FaultStep): string {
  const a = step.action;
  if (a.kind === 'toxic') return `${step.proxy}: ${describeToxic(a.toxic)}`;
  if (a.kind === 'disable') return `${step.proxy}: proxy disabled`;
  return `${step.proxy}: ${a.label}`;
}

/** A fault's timeline details: a custom action's hooks are functions, so only its label is kept. */
export function faultDetails(step: FaultStep): Record<string, unknown> {
  const a = step.action;
  return { step: step.id, proxy: step.proxy, action: a.kind === 'custom' ? { kind: 'custom', label: a.label } : a };
}
