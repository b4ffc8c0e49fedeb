/**
 * The exit gate of `brink assess --fail-on refuted|critical|incomplete`: a pure function from what
 * the assessment produced to the reasons the gate fails (none: it passes). The CLI exits 99 on any.
 */
import type { ClaimResult, Finding } from '../core/index.ts';

export const FAIL_ON = ['refuted', 'critical', 'incomplete'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface GateInput {
  claims: readonly Pick<ClaimResult, 'id' | 'verdict'>[];
  findings: readonly Pick<Finding, 'severity' | 'title'>[] | undefined;
  complete: boolean;
  failedSteps: readonly { name: string; error?: string }[];
}

export function gateFailures(failOn: readonly FailOn[], r: GateInput): string[] {
  const out: string[] = [];
  if (failOn.includes('refuted')) {
    const refuted = r.claims.filter((c) => c.verdict === 'REFUTED').map((c) => c.id);
    if (refuted.length) out.push(`${refuted.length} claim(s) REFUTED: ${refuted.join(', ')}`);
  }
  if (failOn.includes('critical')) {
    // No findings file means the audit did not run: the gate cannot pass on missing evidence.
    if (!r.findings) out.push('no audit findings were written, so CRITICAL findings cannot be ruled out');
    else {
      const critical = r.findings.filter((f) => f.severity === 'CRITICAL');
      if (critical.length) out.push(`${critical.length} CRITICAL finding(s): ${critical.map((f) => f.title).slice(0, 5).join('; ')}`);
    }
  }
  if (failOn.includes('incomplete') && (!r.complete || r.failedSteps.length)) {
    out.push(`the assessment is incomplete: ${r.failedSteps.map((s) => `${s.name} (${s.error ?? 'failed'})`).join('; ') || 'not every step finished'}`);
  }
  return out;
}

/** Parses "--fail-on a,b" (repeatable); throws on a name that is not a gate. */
export function parseFailOn(values: readonly string[], onUnknown: (value: string) => Error): FailOn[] {
  const out = new Set<FailOn>();
  for (const v of values.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(FAIL_ON as readonly string[]).includes(v)) throw onUnknown(v);
    out.add(v as FailOn);
  }
  return [...out];
}
