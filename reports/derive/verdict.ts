/**
 * The executive summary's overall verdict and per-area ratings. The rule, so a reader can check it:
 * any CRITICAL finding -> "DO NOT DEPLOY: N CRITICAL" (the Nova audit's P0 blockers); else any HIGH
 * finding, failed SLI or threshold, or failed chaos hypothesis -> "DEPLOY WITH CAUTION"; else READY.
 * Area scores are out of 10 like the assessments': 10 minus 4 per CRITICAL, 2 per HIGH, 1 per
 * MEDIUM, 0.5 per LOW finding in the area; for SLIs and chaos, 10 x the share that passed.
 */
import { SEVERITIES, type ExperimentResult, type Finding, type Severity } from '../../core/index.ts';
import type { AreaRating, SliRow, Verdict } from '../types.ts';

const PENALTY: Record<Severity, number> = { CRITICAL: 4, HIGH: 2, MEDIUM: 1, LOW: 0.5, INFO: 0 };

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const c = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) c[f.severity]++;
  return c;
}

/** Which area a finding belongs to, from its check id, title and location. */
export function areaOf(f: Finding): string {
  const text = `${f.checkId} ${f.title} ${f.location}`.toLowerCase();
  if (/pool|connection|pgbouncer/.test(text)) return 'Connection pools';
  if (/cache|redis|stampede/.test(text)) return 'Caching';
  if (/timeout|breaker|retry|queue|rabbit|dlq/.test(text)) return 'Resilience';
  return 'Database';
}

function severityList(c: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => s !== 'INFO' && c[s] > 0).map((s) => `${c[s]} ${s}`).join(', ');
}

function findingsArea(area: string, findings: readonly Finding[], hasData: boolean): AreaRating {
  const mine = findings.filter((f) => areaOf(f) === area);
  if (!hasData && mine.length === 0) return { area, score: null, summary: 'no data in the inputs' };
  const c = severityCounts(mine);
  const score = Math.max(0, 10 - SEVERITIES.reduce((s, sev) => s + PENALTY[sev] * c[sev], 0));
  return { area, score, summary: severityList(c) || 'no problems found' };
}

function shareArea(area: string, passed: number, total: number, what: string): AreaRating {
  if (total === 0) return { area, score: null, summary: 'no data in the inputs' };
  return { area, score: Math.round((10 * passed) / total * 10) / 10, summary: `${passed} of ${total} ${what} passed` };
}

export function deriveAreas(findings: readonly Finding[], slis: readonly SliRow[], chaos: readonly ExperimentResult[], audited: boolean): AreaRating[] {
  const measured = slis.filter((s) => s.status !== 'NOT MEASURED');
  const hyps = chaos.flatMap((e) => e.verdicts);
  const resilience = findingsArea('Resilience', findings, audited || chaos.length > 0);
  const chaosShare = shareArea('Resilience', hyps.filter((h) => h.ok).length, hyps.length, 'chaos hypotheses');
  return [
    findingsArea('Database', findings, audited),
    findingsArea('Connection pools', findings, audited),
    findingsArea('Caching', findings, audited),
    shareArea('Latency and SLIs', measured.filter((s) => s.status === 'PASS').length, measured.length, 'SLIs and thresholds'),
    // Resilience combines its findings' penalty with the chaos pass share: the lower one wins.
    chaosShare.score === null ? resilience
      : { area: 'Resilience', score: Math.min(chaosShare.score, resilience.score ?? 10), summary: [chaosShare.summary, resilience.score === null ? '' : resilience.summary].filter(Boolean).join('; ') },
  ];
}

export function deriveVerdict(counts: Record<Severity, number>, slis: readonly SliRow[], chaos: readonly ExperimentResult[], hasAnyData: boolean, incomplete: boolean): Verdict {
  if (!hasAnyData) return { text: 'NO DATA', tone: 'muted', reasons: ['the inputs hold no run, finding, claim or chaos result'] };
  const failedSlis = slis.filter((s) => s.status === 'FAIL').length;
  const failedHyps = chaos.flatMap((e) => e.verdicts).filter((v) => !v.ok).length;
  const reasons: string[] = [];
  if (counts.CRITICAL) reasons.push(`${counts.CRITICAL} CRITICAL finding(s)`);
  if (counts.HIGH) reasons.push(`${counts.HIGH} HIGH finding(s)`);
  if (failedSlis) reasons.push(`${failedSlis} SLI(s) or threshold(s) failed`);
  if (failedHyps) reasons.push(`${failedHyps} chaos hypothesis(es) failed`);
  if (incomplete) reasons.push('the assessment is incomplete: some steps did not finish');
  if (counts.CRITICAL) return { text: `DO NOT DEPLOY: ${counts.CRITICAL} CRITICAL`, tone: 'bad', reasons };
  const caution = [counts.HIGH ? `${counts.HIGH} HIGH` : '', failedSlis ? `${failedSlis} SLI FAILED` : '', failedHyps ? `${failedHyps} CHAOS FAILED` : ''].filter(Boolean);
  if (caution.length) return { text: `DEPLOY WITH CAUTION: ${caution.join(', ')}`, tone: 'warn', reasons };
  if (incomplete) return { text: 'INCOMPLETE: no blocker among what was gathered', tone: 'warn', reasons };
  return { text: 'READY: no blocker found', tone: 'good', reasons: ['no CRITICAL or HIGH finding, every measured SLI and chaos hypothesis passed'] };
}
