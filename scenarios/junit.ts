/** A JUnit XML file with one testcase per threshold, so CI shows which SLO failed and by how much. */
import { writeFileSync } from 'node:fs';
import type { RunSummary } from '../core/index.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function junitXml(s: RunSummary): string {
  const failures = s.thresholds.filter((t) => !t.ok).length;
  const suite = `brink.${s.card.scenario}.${s.card.profile}.${s.card.engine}`;
  const cases = s.thresholds.map((t) => {
    const name = `${t.metric}: ${t.expression}`;
    const measured = t.actual === undefined ? 'no samples' : `measured ${t.actual}`;
    const body = t.ok ? '' : `<failure message="${esc(`${name} failed (${measured})`)}" type="threshold">${esc(`${name}: ${measured}`)}</failure>`;
    return `    <testcase classname="${esc(suite)}" name="${esc(name)}" time="${(s.card.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="brink" tests="${s.thresholds.length}" failures="${failures}">`,
    `  <testsuite name="${esc(suite)}" tests="${s.thresholds.length}" failures="${failures}" errors="0" time="${(s.card.durationMs / 1000).toFixed(3)}" timestamp="${esc(s.card.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function writeJunit(file: string, s: RunSummary): void {
  writeFileSync(file, junitXml(s));
}
