import amqp from 'amqplib';
import { startNotificationsWorker, notificationTopology, newWireEvent, realtimeNames } from '../../reference-system/index.ts';
import { switchesFor } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs } from '../measure.ts';
import { fact, higherIsBetter, judged, show, unmeasured, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

/** One mode: a queue filled with `events` events and one poison message, then drained by a fresh worker. */
export interface DrainRun {
  events: number;
  drainMs: number | undefined;
  /** Valid events stored (rows inserted + duplicates), and events the worker lost (acked, then failed). */
  handled: number;
  lost: number;
  deadLettered: number;
}

export interface Nf9Measurement {
  baseline: DrainRun;
  reliable: DrainRun;
}

export function judgeNf9(m: Nf9Measurement): ProbeResult {
  // Events stored per second: a lost event is not throughput.
  const rate = (r: DrainRun) => (r.drainMs ? (r.handled * 1000) / r.drainMs : undefined);
  const b = rate(m.baseline);
  const r = rate(m.reliable);
  const ratio = b && r ? r / b : undefined;
  return judged(
    'NF-9',
    `the platform's notifications worker, amqp-reliability off (auto-ack, unlimited prefetch) then on (prefetch 10, manual acks, DLQ, TTL), each on its own queue pre-filled with ${m.reliable.events} events and one poison message, drained by a fresh worker`,
    `baseline ${b?.toFixed(0) ?? '-'} events/s (${m.baseline.handled} handled, ${m.baseline.lost} lost), reliable ${r?.toFixed(0) ?? '-'} events/s (${m.reliable.handled} handled, ${m.reliable.lost} lost, ${m.reliable.deadLettered} dead-lettered)${ratio !== undefined ? `: ${show.x(ratio)}` : ''}; drain ${m.baseline.drainMs !== undefined ? fmtMs(m.baseline.drainMs) : '-'} vs ${m.reliable.drainMs !== undefined ? fmtMs(m.reliable.drainMs) : '-'}`,
    [
      higherIsBetter('3x message throughput', ratio, 3, show.x),
      fact('no lost messages (poison message kept in the DLQ, every event stored; without the settings auto-ack loses what fails)', m.reliable.drainMs !== undefined ? m.reliable.lost === 0 && m.reliable.handled === m.reliable.events && m.reliable.deadLettered === 1 : undefined, `${m.reliable.handled}/${m.reliable.events} stored, ${m.reliable.lost} lost, ${m.reliable.deadLettered} dead-lettered`),
      unmeasured('... across a broker restart', 'restarting RabbitMQ is the rabbitmq-down chaos experiment (full profile), not a probe'),
    ],
    { baselineRate: b, reliableRate: r, ratio, reliableLost: m.reliable.lost, baselineLost: m.baseline.lost },
  );
}

async function drain(ctx: AssessContext, reliable: boolean, events: number): Promise<DrainRun> {
  const namespace = `assess${reliable ? 'r' : 'b'}${Date.now().toString(36)}.`;
  const tuning = { namespace, notificationRetryBaseDelayMs: 100, logLevel: 'silent' };
  const switches = { ...switchesFor('optimized'), 'amqp-reliability': reliable };
  const names = realtimeNames(ctx.stack.urls.postgres, namespace);
  const t = notificationTopology({ namespace, exchange: names.exchange, reliable: true, maxAttempts: 3, messageTtlMs: 86_400_000, maxLength: 100_000 });
  const base = { databaseUrl: ctx.stack.urls.postgres, redisUrl: ctx.stack.urls.redis, amqpUrl: ctx.stack.urls.amqp, jwtSecret: ctx.stack.platform.jwtSecret, switches, tuning };
  const conn = await amqp.connect(ctx.stack.urls.amqp);
  try {
    // A first worker declares the queues, then stops: the events wait in the queue for the second.
    const declarer = await startNotificationsWorker(base);
    await declarer.ready(20_000);
    await declarer.stop();
    const ch = await conn.createConfirmChannel();
    const ids = ctx.dataset.sampleUserIds;
    for (let i = 0; i < events; i++) {
      const e = newWireEvent('comment.created', [ids[i % ids.length]!], { probe: 'nf-9', i });
      ch.publish(names.exchange, 'comment.created', Buffer.from(JSON.stringify(e)), { persistent: true, messageId: e.id, contentType: 'application/json' });
      if (i === Math.floor(events / 2)) ch.publish(names.exchange, 'comment.created', Buffer.from('poison'), { persistent: true });
    }
    await ch.waitForConfirms();
    await ch.close();
    const worker = await startNotificationsWorker(base);
    const t0 = performance.now();
    let drainMs: number | undefined;
    try {
      await worker.ready(20_000);
      while (performance.now() - t0 < 60_000 && !ctx.signal.aborted) {
        const s = worker.stats;
        // Done when every message was dealt with: stored, or (auto-ack) lost, the poison message
        // included; with reliability on, the poison message's retries are waited for after.
        if (reliable ? s.handled >= events : s.handled + s.lost >= events + 1) {
          drainMs = performance.now() - t0;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const until = performance.now() + 5_000;
      while (reliable && worker.stats.deadLettered < 1 && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    return { events, drainMs, handled: worker.stats.handled, lost: worker.stats.lost, deadLettered: worker.stats.deadLettered };
  } finally {
    const cleanup = await conn.createChannel();
    cleanup.on('error', () => undefined);
    for (const q of [t.mainQueue.name, ...t.retryQueues.map((r) => r.name), t.deadLetter!.queue.name, `${namespace}notifications`]) await cleanup.deleteQueue(q).catch(() => undefined);
    for (const x of [names.exchange, t.deadLetter!.exchange]) await cleanup.deleteExchange(x).catch(() => undefined);
    await conn.close().catch(() => undefined);
  }
}

/** NF-9: drain throughput of the notifications worker without and with the reliability settings, and losses. */
export const nf9AmqpThroughput: ClaimProbe = {
  id: 'nf-9-amqp-throughput',
  claimIds: ['NF-9'],
  description: 'drains a pre-filled queue (events and one poison message) with amqp-reliability off, then on',
  profiles: ['smoke', 'full'],
  // Its own worker, queues and exchange on a namespace of its own, no switch: runs beside the others.
  background: true,
  async run(ctx) {
    const events = n(ctx, 1000, 10_000);
    const baseline = await drain(ctx, false, events);
    const reliable = await drain(ctx, true, events);
    return [judgeNf9({ baseline, reliable })];
  },
};
