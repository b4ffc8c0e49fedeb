/**
 * rabbitmq-down on the real stack with the realtime side running (the notifications worker):
 * comments keep being accepted while RabbitMQ is unreachable, and once it is back no notification
 * the platform acknowledged is lost (optimized: publisher confirms, reconnects, durable queues).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ToxiproxyClient } from '../stack/index.ts';
import { runExperiment } from './run.ts';
import { openChaosPlatform, type ChaosPlatform } from './testing/platform-fixture.ts';

const base = inject('stack');
let t: ChaosPlatform;
beforeAll(async () => {
  t = await openChaosPlatform(base, 'rmq', 'optimized', { realtime: true });
});
afterAll(async () => {
  await t?.close();
});

it('rabbitmq-down during a chat burst: comments are accepted during the outage and zero acknowledged notifications are lost', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'brink-rmq-load-'));
  const r = await runExperiment({ experiment: 'rabbitmq-down', stack: t.stack, load: { scenario: 'chat-burst', profile: 'smoke', outDir } });
  rmSync(outDir, { recursive: true, force: true });
  const load = r.notes.find((n) => n.startsWith('during the experiment, scenario chat-burst'));
  expect(load).toMatch(/ran [1-9]\d* time\(s\): [1-9]\d* requests/);
  process.stderr.write(`[chaos] rabbitmq-down: ok=${r.ok} detect=${r.timeToDetectMs ?? 'none'} ms recover=${r.timeToRecoverMs ?? 'none'} ms; ${r.verdicts.map((v) => `${v.ok ? 'ok' : 'FAIL'} ${v.hypothesis} ${JSON.stringify(v.measured)}`).join(' | ')}; ${load}\n`);
  const after = r.verdicts.find((v) => v.phase === 'after')!;
  expect(after.ok).toBe(true);
  expect(Number(after.measured.acknowledged)).toBeGreaterThan(0);
  expect(after.measured.notificationsLost).toBe(0);
  expect(r.verdicts.find((v) => v.phase === 'during')!.ok).toBe(true);
  expect((await new ToxiproxyClient(base.urls.toxiproxy).getProxy('rabbitmq')).enabled).toBe(true);
}, 240_000);
