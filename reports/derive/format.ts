/** Number formatting shared by derivations and sections (plain text; renderers escape). */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtRate(perSec: number): string {
  return `${perSec >= 100 ? Math.round(perSec).toLocaleString('en-US') : perSec.toFixed(1)} req/s`;
}

export function fmtPct(ratio: number): string {
  const pct = ratio * 100;
  return `${pct === 0 ? '0' : pct < 0.1 ? pct.toFixed(3) : pct.toFixed(2)}%`;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtNumber(n: number): string {
  if (Number.isInteger(n)) return fmtInt(n);
  // Rates such as 0.0267 keep three significant digits; latencies keep two decimals.
  if (Math.abs(n) < 1) return String(Number(n.toPrecision(3)));
  return n.toFixed(Math.abs(n) >= 100 ? 0 : 2);
}
