/** How the assessment runs its steps (assess/step-runner.ts), on fake steps. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { AssessmentMeta } from '../core/index.ts';
import { StepFailed, type AssessStep, type StepEnv } from './step.ts';
import { StepRunner, type AssessEvents } from './step-runner.ts';

function harness(opts: { only?: string[]; signal?: AbortSignal } = {}) {
  const meta: AssessmentMeta = { title: 't', startedAt: '', profile: 'smoke', scale: 'small', complete: false, steps: [], gitSha: '' };
  const events = new EventEmitter<AssessEvents>();
  const seen: string[] = [];
  events.on('step', (s) => seen.push(`${s.index}/${s.total} ${s.id}`));
  events.on('step-done', (s) => seen.push(`${s.id} ${s.status}${s.error ? `: ${s.error}` : ''}`));
  /** meta.complete each time assessment.json is written. */
  const written: boolean[] = [];
  const env: StepEnv = { settings: { profile: 'smoke', scale: 'small', engine: 'node' }, outDir: '/nowhere', signal: opts.signal ?? new AbortController().signal, note: () => undefined, defer: () => undefined };
  const runner = new StepRunner({ env, events, meta, writeMeta: () => written.push(meta.complete), order: ['a', 'b', 'report'], ...(opts.only ? { only: opts.only } : {}) });
  return { runner, meta, seen, written };
}

const step = <In, Out>(id: string, run: (input: In) => Promise<Out>, more: Partial<AssessStep<In, Out>> = {}): AssessStep<In, Out> => ({ id, title: `title ${id}`, run: (_env, input) => run(input), ...more });

describe('StepRunner', () => {
  it("hands a step's output to the next, and records and announces each", async () => {
    const { runner, meta, seen, written } = harness();
    const a = await runner.step(step('a', async (x: { n: number }) => ({ m: x.n + 1 })), { n: 1 });
    const b = await runner.step(step('b', async (x: { m: number }) => x.m * 10), a?.ok ? a.value : undefined);
    expect(b).toEqual({ ok: true, value: 20 });
    // The report reads assessment.json: it is written as complete before the final step runs.
    const report = await runner.step(step('report', async () => written.at(-1), { final: true }), {});
    expect(report).toEqual({ ok: true, value: true });
    expect(meta.steps.map((s) => `${s.name} ${s.status}`)).toEqual(['a ok', 'b ok', 'report ok']);
    expect(seen).toEqual(['1/3 a', 'a ok', '2/3 b', 'b ok', '3/3 report', 'report ok']);
    expect(runner.failed).toBe(false);
  });

  it('records a failed step and goes on, handing on the part it made; the final step is told first that the assessment is incomplete', async () => {
    const { runner, meta, written } = harness();
    const a = await runner.step(step('a', () => Promise.reject(new StepFailed('1 scenario run(s) failed: x (boom)', { runs: 2 }))), {});
    expect(a).toEqual({ ok: false, error: '1 scenario run(s) failed: x (boom)', partial: { runs: 2 } });
    const b = await runner.step(step('b', () => Promise.reject(new Error('no partial'))), {});
    expect(b).toEqual({ ok: false, error: 'no partial' });
    meta.complete = true;
    const report = await runner.step(step('report', async () => written.at(-1), { final: true }), {});
    expect(report).toEqual({ ok: true, value: false });
    expect(meta.finishedAt).toBeDefined();
    expect(meta.steps.map((s) => `${s.name} ${s.status}${s.error ? ` ${s.error}` : ''}`)).toEqual(['a failed 1 scenario run(s) failed: x (boom)', 'b failed no partial', 'report ok']);
    expect(runner.failed).toBe(true);
  });

  it("an essential step's failure ends the assessment", async () => {
    const { runner, meta } = harness();
    await expect(runner.step(step('a', () => Promise.reject(new Error('no stack')), { essential: true }), {})).rejects.toThrow('no stack');
    expect(meta.steps).toMatchObject([{ name: 'a', status: 'failed', error: 'no stack' }]);
  });

  it('neither runs nor announces a step left out by "only"; a step whose input was left out fails with what it needs', async () => {
    const { runner, seen } = harness({ only: ['b'] });
    let ran = false;
    expect(await runner.step(step('a', async () => (ran = true)), {})).toBeUndefined();
    expect(ran).toBe(false);
    const b = await runner.step(step('b', async (x: { n: number }) => x.n, { needs: 'the number (step a)' }), undefined);
    expect(b).toEqual({ ok: false, error: 'the b step needs the number (step a), which was left out' });
    expect(seen).toEqual(['1/1 b', 'b failed: the b step needs the number (step a), which was left out']);
  });

  it('an interrupt ends the assessment even in a step that is not essential, and no step starts after it', async () => {
    const ac = new AbortController();
    const { runner, seen } = harness({ signal: ac.signal });
    const interrupted = runner.step(step('a', async () => {
      ac.abort();
      throw new Error('run stopped');
    }), {});
    await expect(interrupted).rejects.toThrow('run stopped');
    await expect(runner.step(step('b', async () => 1), {})).rejects.toThrow('interrupted');
    expect(seen).toEqual(['1/3 a', 'a failed: run stopped']);
  });
});
