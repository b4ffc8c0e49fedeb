/**
 * Bottleneck attribution on the real stack: a feed smoke run through runScenario carries, in its
 * summary (and summary.json), a CPU/RSS series for every stack process, the platform's event-loop
 * lag, PgBouncer's pool samples and per-hop time; the report renders a "where the time went" section.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary } from '../../core/index.ts';
import type { StackState } from '../../stack/index.ts';
import { openSeededPlatform, type SeededPlatform } from '../testing/seeded-platform.ts';
import { buildModel } from '../../reports/model.ts';
import { whereTimeWent } from '../../reports/sections/where-time-went.ts';
import { inputsWith } from '../../reports/test-helpers.ts';
import { runScenario } from '../index.ts';

describe('attribution in a run summary', () => {
  let fx: SeededPlatform;
  let state: StackState;
  let dir: string;

  beforeAll(async () => {
    fx = await openSeededPlatform(inject('stack'), 'attribution_int', 7);
    ({ state, dir } = fx);
  });
  afterAll(async () => fx?.close());

  it('samples every stack process, the event loop, PgBouncer and the hops, and the report shows them', async () => {
    const s = await runScenario({ scenario: 'feed', engine: 'node', profile: 'smoke', stack: state, outDir: join(dir, 'feed') });
    const a = s.attribution;
    expect(a).toBeDefined();
    const names = a!.components.map((c) => c.component);
    for (const p of state.processes) {
      const c = a!.components.find((x) => x.component === p.name);
      expect(c, `series for ${p.name} (have ${names.join(', ')})`).toBeDefined();
      expect(c!.samples.length).toBeGreaterThan(0);
      expect(c!.pids).toContain(p.pid);
      expect(c!.rssMaxMb).toBeGreaterThan(0);
    }
    // The platform runs in this test's process: its series carries the event loop's readings.
    const node = a!.components.find((c) => c.samples.some((x) => x.loopUtilization !== undefined));
    expect(node, `a Node series with loop readings among ${names.join(', ')}`).toBeDefined();
    expect(a!.pgbouncer.length).toBeGreaterThan(0);
    expect(a!.hops.find((h) => h.service === 'posts')?.requests).toBeGreaterThan(0);
    expect(a!.saturated.length).toBeGreaterThan(0);
    expect(a!.topConsumer?.component).toBe(a!.components.filter((c) => c.component !== 'other (outside the stack)')[0]!.component);

    const written = JSON.parse(readFileSync(join(dir, 'feed', 'summary.json'), 'utf8')) as RunSummary;
    expect(written.attribution?.components.map((c) => c.component)).toEqual(names);
    const blocks = whereTimeWent.render(buildModel(inputsWith({ runs: [{ label: 'feed', dir: join(dir, 'feed'), summary: written, spectra: {} }] })));
    expect(blocks.some((b) => b.kind === 'chart')).toBe(true);
    expect(blocks.find((b) => b.kind === 'paragraph')).toMatchObject({ text: expect.stringMatching(/^Most saturated: /) });
  });
});
