import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/index.ts';
import { CLAIMS } from './claims-catalog.ts';
import { PROBES } from './probes/index.ts';
import { safeThroughput } from './probes/run-metrics.ts';

describe('the claims catalog', () => {
  it('has every claim id of shared/assessments/README.md once', () => {
    const readme = join(PROJECT_ROOT, '..', 'shared', 'assessments', 'README.md');
    expect(new Set(CLAIMS.map((c) => c.id)).size).toBe(CLAIMS.length);
    // BEYOND-n rows are brink's own findings, not the documents'.
    const ids = CLAIMS.filter((c) => c.document !== 'beyond-the-documents').map((c) => c.id);
    if (!existsSync(readme)) return; // shared/ sits beside the repo in CI; a user's clone may lack it
    const documented = [...readFileSync(readme, 'utf8').matchAll(/^- ((?:NF|NV|LC|MO|CP)-\d+) /gm)].map((m) => m[1]);
    expect(ids.sort()).toEqual([...documented].sort());
  });

  it('has probes only for claims that exist, each claim measured by at most one probe', () => {
    const seen = new Map<string, string>();
    for (const p of PROBES.all()) {
      for (const id of p.claimIds) {
        expect(CLAIMS.some((c) => c.id === id), `${p.id} names ${id}`).toBe(true);
        expect(seen.get(id), `${id} is probed by ${seen.get(id)} and ${p.id}`).toBeUndefined();
        seen.set(id, p.id);
      }
    }
  });
});

describe('safe throughput', () => {
  it('is the highest per-second rate that met the P99 target without errors', () => {
    const point = (ratePerSec: number, p99Ms: number, errors = 0) => ({ tMs: 0, requests: ratePerSec, errors, ratePerSec, p50Ms: 1, p95Ms: 1, p99Ms });
    const run = { timeSeries: [point(100, 50), point(200, 120), point(300, 900), point(250, 200, 3)] } as never;
    expect(safeThroughput(run, 500)).toBe(200);
  });
});
