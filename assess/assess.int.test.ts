import { describe, expect, inject, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAssessment } from './run.ts';

const stack = inject('stack');

describe('brink assess (smoke profile, small data, real stack)', () => {
  it('completes, gives every claim a measured verdict, and reports NV-1, NF-4 and NF-5', { timeout: 1_200_000 }, async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'brink-assess-'));
    const r = await runAssessment({ profile: 'smoke', scale: 'small', engine: 'node', outDir, stack: structuredClone(stack) });
    // The whole table, for the log: verdict and numbers per claim.
    process.stderr.write(`${r.claims.map((c) => `${c.id} ${c.verdict} | ${c.measured}${c.modelEstimate ? ` | model: ${c.modelEstimate}` : ''}`).join('\n')}\n`);
    expect(r.meta.steps.filter((s) => s.status !== 'ok')).toEqual([]);
    expect(r.meta.complete).toBe(true);
    // Every claim measured (issue 13): no NOT RUN, at most three NOT MEASURABLE HERE, and no
    // CONFIRMED that admits an unmeasured part.
    expect(r.claims.filter((c) => c.verdict === 'NOT RUN').map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    expect(r.claims.filter((c) => c.verdict === 'NOT MEASURABLE HERE').length).toBeLessThanOrEqual(3);
    for (const c of r.claims.filter((x) => x.verdict === 'CONFIRMED')) expect(c.reason, c.id).not.toMatch(/not judged|not measured|not run/i);
    for (const id of ['NV-1', 'NF-4', 'NF-5']) {
      const c = r.claims.find((x) => x.id === id)!;
      expect(['CONFIRMED', 'REFUTED', 'PARTLY'], `${id}: ${c.verdict} ${c.reason}`).toContain(c.verdict);
      expect(c.measured).toMatch(/\d/);
      expect(Object.values(c.values ?? {}).every((v) => Number.isFinite(v))).toBe(true);
    }
    const nf4 = r.claims.find((x) => x.id === 'NF-4')!;
    expect(nf4.values!.bytesOn!).toBeLessThan(nf4.values!.bytesOff!);
    expect(r.reportHtml && existsSync(r.reportHtml)).toBe(true);
    const html = readFileSync(r.reportHtml!, 'utf8');
    for (const id of ['NV-1', 'NF-4', 'NF-5']) expect(html).toContain(id);
    // The platform the assessment started is gone, and no toxic is left on any proxy.
    const proxies = (await (await fetch(`${stack.urls.toxiproxy}/proxies`)).json()) as Record<string, { toxics: unknown[]; enabled: boolean }>;
    for (const [name, p] of Object.entries(proxies)) {
      expect(p.toxics, name).toEqual([]);
      expect(p.enabled, name).toBe(true);
    }
  });
});
