/**
 * What every audit returns: plain JSON (findings in the shared Finding shape plus per-item
 * details), printed by the CLI as text or --json. Engines return it; only the CLI prints.
 */
import { type Finding, SEVERITIES, type Severity } from '../core/index.ts';

export interface AuditReport<Details = unknown> {
  kind: 'sql' | 'indexes' | 'pools';
  /** The database (password redacted) or config the audit looked at. */
  target: string;
  startedAt: string;
  durationMs: number;
  findings: Finding[];
  notes: string[];
  details: Details;
}

const RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.location.localeCompare(b.location));
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Findings at or above a severity (for --fail-on). */
export function atOrAbove(findings: readonly Finding[], level: Severity): Finding[] {
  return findings.filter((f) => RANK[f.severity] <= RANK[level]);
}

/**
 * Findings as text, worst first, in the Nova audit's layout (severity, title, location, problem,
 * impact, fix). INFO findings with the same title ("Not applicable: ...") are listed once with all
 * their locations.
 */
export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const merged: Finding[] = [];
  for (const f of sortFindings([...findings])) {
    const same = f.severity === 'INFO' ? merged.find((m) => m.severity === 'INFO' && m.title === f.title) : undefined;
    if (same) same.location = `${same.location}, ${f.location}`;
    else merged.push({ ...f });
  }
  return merged
    .map((f) => [
      `[${f.severity}] ${f.title}`,
      `  Location: ${f.location}${f.claimIds?.length ? `   Claims: ${f.claimIds.join(', ')}` : ''}`,
      `  Problem:  ${f.problem}`,
      `  Impact:   ${f.impact}`,
      `  Fix:      ${f.fix}`,
      `  Why:      ${f.explanation}`,
    ].join('\n'))
    .join('\n\n') + '\n';
}
