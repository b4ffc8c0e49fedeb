/**
 * junit.xml for CI: one <testsuite> per run (its thresholds and Nova SLIs) and one for the
 * assessment (claims and chaos hypotheses); a <failure> for each failed one, <skipped/> for what
 * was not measured (NOT MEASURABLE HERE, NOT RUN, an SLI no run could measure).
 */
import type { ReportModel } from './types.ts';

/** XML 1.0 text: escape markup, drop the control characters XML cannot carry at all. */
export function escapeXml(text: unknown): string {
  return String(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

interface Case { classname: string; name: string; failure?: string; skipped?: string }

function suiteXml(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure !== undefined).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const body = cases.map((c) => {
    const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}"`;
    if (c.failure !== undefined) return `${open}>\n      <failure message="${escapeXml(c.failure)}">${escapeXml(c.failure)}</failure>\n    </testcase>`;
    if (c.skipped !== undefined) return `${open}>\n      <skipped message="${escapeXml(c.skipped)}"/>\n    </testcase>`;
    return `${open}/>`;
  }).join('\n');
  return `  <testsuite name="${escapeXml(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${body}\n  </testsuite>`;
}

export function renderJunit(model: ReportModel): string {
  const suites: { name: string; cases: Case[] }[] = [];
  for (const run of model.runs) {
    const cases: Case[] = run.summary.thresholds.map((t) => ({
      classname: 'threshold', name: `${t.metric}: ${t.expression}`,
      ...(t.ok ? {} : { failure: `threshold ${t.metric} ${t.expression} failed${t.actual === undefined ? '' : `: measured ${t.actual}`}` }),
    }));
    for (const s of model.derived.slis.filter((x) => x.source === 'nova-sli' && x.run === run.label)) {
      cases.push({ classname: 'sli', name: `${s.sli} ${s.target}`, ...(s.status === 'FAIL' ? { failure: `SLI ${s.sli} ${s.target} failed: measured ${s.measured}` } : {}) });
    }
    suites.push({ name: `run ${run.label} (${run.summary.card.scenario}, ${run.summary.card.variant})`, cases });
  }
  if (model.assessments.length || model.claims.length || model.chaos.length) {
    const cases: Case[] = model.claims.map((c) => ({
      classname: 'claim', name: `${c.id}: ${c.claim}`,
      ...(c.verdict === 'REFUTED' || c.verdict === 'PARTLY' ? { failure: `${c.verdict}: measured ${c.measured} (${c.reason})` }
        : c.verdict === 'CONFIRMED' ? {} : { skipped: `${c.verdict}: ${c.reason}` }),
    }));
    for (const e of model.chaos) {
      for (const v of e.verdicts) {
        cases.push({ classname: `chaos.${e.experiment}`, name: `${v.phase}: ${v.hypothesis}`, ...(v.ok ? {} : { failure: `hypothesis failed: ${v.explanation}` }) });
      }
    }
    for (const s of model.derived.slis.filter((x) => x.status === 'NOT MEASURED')) {
      cases.push({ classname: 'sli', name: `${s.sli} ${s.target}`, skipped: 'no run measured it' });
    }
    suites.push({ name: `assessment ${model.assessments[0]?.title ?? model.title}`, cases });
  }
  const all = suites.flatMap((s) => s.cases);
  const failures = all.filter((c) => c.failure !== undefined).length;
  const skipped = all.filter((c) => c.skipped !== undefined).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(model.title)}" tests="${all.length}" failures="${failures}" errors="0" skipped="${skipped}">\n`
    + `${suites.map((s) => suiteXml(s.name, s.cases)).join('\n')}\n</testsuites>\n`;
}
