/**
 * Steady-state hypotheses in the Chaos Toolkit's shape: a title, the phase it is checked in, and
 * probes with tolerances ("p99Ms < 500", "breakerOpened == yes"). Evaluation is a pure function of
 * the measured values of that phase, and the verdict carries the values it used.
 */
import type { HypothesisVerdict } from '../core/index.ts';

export type Phase = HypothesisVerdict['phase'];
export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Tolerance {
  /** A key of the phase's measurements: an SLI (p99Ms, errorRate…) or an experiment's own value. */
  metric: string;
  op: Operator;
  value: number | string;
}

export interface Hypothesis {
  title: string;
  phase: Phase;
  tolerances: Tolerance[];
}

export type Measurements = Record<string, number | string>;

function holds(actual: number | string, op: Operator, expected: number | string): boolean {
  switch (op) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (op === '<') return actual < expected;
      if (op === '<=') return actual <= expected;
      if (op === '>') return actual > expected;
      return actual >= expected;
    }
  }
}

function show(v: number | string): string {
  return typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : JSON.stringify(v);
}

/**
 * Checks every tolerance against the measurements. A metric that was not measured fails its
 * tolerance and says so (a hypothesis that cannot be checked does not hold).
 */
export function evaluateHypothesis(h: Hypothesis, measured: Measurements): HypothesisVerdict {
  const parts: string[] = [];
  const used: Measurements = {};
  let ok = true;
  for (const t of h.tolerances) {
    const actual = measured[t.metric];
    if (actual === undefined) {
      ok = false;
      parts.push(`${t.metric} was not measured (needed ${t.op} ${show(t.value)})`);
      continue;
    }
    used[t.metric] = actual;
    const pass = holds(actual, t.op, t.value);
    if (!pass) ok = false;
    parts.push(`${t.metric}=${show(actual)} ${pass ? t.op : `NOT ${t.op}`} ${show(t.value)}`);
  }
  return { hypothesis: h.title, phase: h.phase, ok, measured: used, explanation: parts.join('; ') };
}

/** Parses "p99Ms < 500" (for hypotheses written as strings, e.g. in RECIPES or tests). */
export function tolerance(expr: string): Tolerance {
  const m = /^\s*([A-Za-z0-9_.]+)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/.exec(expr);
  if (!m) throw new Error(`tolerance "${expr}" is not "METRIC OP VALUE"`);
  const [, metric, op, raw] = m as unknown as [string, string, Operator, string];
  const n = Number(raw);
  return { metric, op, value: raw !== '' && Number.isFinite(n) ? n : raw.replace(/^["']|["']$/g, '') };
}

export function hypothesis(title: string, phase: Phase, ...exprs: string[]): Hypothesis {
  return { title, phase, tolerances: exprs.map(tolerance) };
}
