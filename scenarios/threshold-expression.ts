/**
 * One threshold expression (`p(99)<500`, `rate<0.001 burn 14.4x over 1m`) once parsed, and how it
 * is compared. Its own module so that the windowed judge (threshold-windows.ts) and the parser
 * (thresholds.ts) both read it without importing each other.
 */
export const OPERATORS = ['<=', '>=', '===', '==', '!=', '<', '>'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface ParsedExpression {
  source: string;
  /** "avg", "min", "max", "med", "rate", "count", "value" or "p(99.9)". */
  aggregation: string;
  /** For p(N): N. */
  percentile?: number;
  operator: Operator;
  value: number;
  /** `over 30s`: judged on every window of this length (whole seconds). */
  window?: { ms: number; text: string };
  /** `burn 14.4x`: the window's rate divided by the budget (value) must stay below this factor. */
  burnFactor?: number;
}

/** Compares as k6 does; a missing value (no samples) fails the threshold. */
export function holds(expr: ParsedExpression, actual: number | undefined): boolean {
  if (actual === undefined || Number.isNaN(actual)) return false;
  switch (expr.operator) {
    case '<': return actual < expr.value;
    case '<=': return actual <= expr.value;
    case '>': return actual > expr.value;
    case '>=': return actual >= expr.value;
    case '==': case '===': return actual === expr.value;
    case '!=': return actual !== expr.value;
  }
}
