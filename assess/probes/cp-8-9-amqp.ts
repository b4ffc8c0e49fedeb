import amqp from 'amqplib';
import { startNotificationsWorker, notificationTopology, realtimeNames } from '../../reference-system/index.ts';
import { switchesFor } from '../../core/index.ts';
import type { ClaimProbe } from '../probe.ts';
import { fmtMs } from '../measure.ts';
import { fact, judged, notRun, type ProbeResult } from '../verdict.ts';

export interface AmqpMeasurement {
  baseDelayMs: number;
  maxAttempts: number;
  /** A poison message: tries seen (retries + the dead-lettering), and publish -> DLQ time. */
  retried: number;
  deadLettered: number;
  toDlqMs: number | undefined;
  prefetch: number | undefined;
  /** With no consumer: publishes the broker confirmed and refused (max length), and what the TTL moved to the DLQ. */
  maxLength: number;
  published: number;
  confirmed: number;
  refused: number;
  ttlMs: number;
  expiredToDlq: number;
}

/** Tries 1..n wait base, 4x base, ...: the time to the DLQ is the sum of the retry delays. */
const backoffTotalMs = (base: number, attempts: number) => Array.from({ length: attempts - 1 }, (_, i) => base * 4 ** i).reduce((a, b) => a + b, 0);

export function judgeAmqp(m: AmqpMeasurement): ProbeResult[] {
  const expected = backoffTotalMs(m.baseDelayMs, m.maxAttempts);
  const linear = m.baseDelayMs * (m.maxAttempts - 1);
  const method = `a notifications worker of the platform's code on its own namespace (amqp-reliability on), retry base ${m.baseDelayMs} ms, queue TTL ${m.ttlMs} ms and max length ${m.maxLength} (shortened so they can be seen); a poison message published to its exchange; then, with no consumer, ${m.published} messages published with confirms`;
  return [
    judged(
      'CP-8',
      method,
      `poison message: ${m.retried} retries, ${m.deadLettered} dead-lettered, in the DLQ after ${m.toDlqMs !== undefined ? fmtMs(m.toDlqMs) : 'never'} (exponential backoff predicts ${fmtMs(expected)}, linear ${fmtMs(linear)}); prefetch ${m.prefetch ?? '-'}`,
      [
        fact('retries, max 3 tries', m.toDlqMs === undefined ? undefined : m.retried === m.maxAttempts - 1 && m.deadLettered === 1, `${m.retried} retries then ${m.deadLettered} dead-lettered`),
        fact('with exponential backoff', m.toDlqMs === undefined ? undefined : m.toDlqMs >= expected * 0.9 && m.toDlqMs < expected + 3000, `${fmtMs(m.toDlqMs ?? 0)} to the DLQ vs ${fmtMs(expected)} exponential / ${fmtMs(linear)} linear`),
        fact('dead-letter queue', m.toDlqMs !== undefined, m.toDlqMs !== undefined ? 'the message reached the DLQ' : 'it never did'),
        fact('prefetch 10 (the consuming channel\'s)', m.prefetch === undefined ? undefined : m.prefetch === 10, String(m.prefetch ?? '-')),
      ],
      { retried: m.retried, deadLettered: m.deadLettered, toDlqMs: m.toDlqMs, prefetch: m.prefetch },
    ),
    judged(
      'CP-9',
      method,
      `max length ${m.maxLength}: ${m.confirmed} of ${m.published} confirmed, ${m.refused} refused; after the ${fmtMs(m.ttlMs)} TTL ${m.expiredToDlq} moved to the DLQ by the dead-letter exchange`,
      [
        fact('max length (publishes beyond it refused)', m.published > m.maxLength ? m.confirmed === m.maxLength && m.refused === m.published - m.maxLength : undefined, `${m.confirmed} confirmed, ${m.refused} refused`),
        fact('TTL (unconsumed messages expire)', m.confirmed > 0 ? m.expiredToDlq === m.confirmed : undefined, `${m.expiredToDlq} of ${m.confirmed} expired`),
        fact('dead-letter exchange (expired messages kept in the DLQ)', m.confirmed > 0 ? m.expiredToDlq > 0 : undefined, `${m.expiredToDlq} in the DLQ`),
      ],
      { confirmed: m.confirmed, refused: m.refused, expiredToDlq: m.expiredToDlq },
    ),
  ];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CP-8 and CP-9 on the platform's notifications code, on a namespace of their own. */
export const cp89Amqp: ClaimProbe = {
  id: 'cp-8-9-amqp',
  claimIds: ['CP-8', 'CP-9'],
  description: 'runs a notifications worker on its own queues: a poison message through retries to the DLQ, then max length and TTL with no consumer',
  profiles: ['smoke', 'full'],
  // Its own worker, queues and exchange on a namespace of its own, no switch: runs beside the others.
  background: true,
  async run(ctx) {
    const platform = ctx.stack.platform;
    if (!platform) return [notRun('CP-8', 'no platform'), notRun('CP-9', 'no platform')];
    const namespace = `assess${Date.now().toString(36)}.`;
    const tuning = { namespace, notificationRetryBaseDelayMs: 200, notificationMaxAttempts: 3, queueMessageTtlMs: 2_000, queueMaxLength: 20, logLevel: 'silent' };
    const names = realtimeNames(ctx.stack.urls.postgres, namespace);
    const t = notificationTopology({ namespace, exchange: names.exchange, reliable: true, maxAttempts: 3, messageTtlMs: tuning.queueMessageTtlMs, maxLength: tuning.queueMaxLength });
    const dlq = t.deadLetter!.queue.name;
    const conn = await amqp.connect(ctx.stack.urls.amqp);
    const worker = await startNotificationsWorker({ databaseUrl: ctx.stack.urls.postgres, redisUrl: ctx.stack.urls.redis, amqpUrl: ctx.stack.urls.amqp, jwtSecret: platform.jwtSecret, switches: switchesFor('optimized'), tuning });
    let workerStopped = false;
    try {
      await worker.ready(20_000);
      const ch = await conn.createConfirmChannel();
      const publish = (content: string) => new Promise<boolean>((resolve) => ch.publish(names.exchange, 'comment.created', Buffer.from(content), { persistent: true }, (err) => resolve(!err)));
      const dlqCount = async () => (await ch.checkQueue(dlq)).messageCount;
      const t0 = performance.now();
      await publish('this is not an event');
      let toDlqMs: number | undefined;
      while (performance.now() - t0 < 15_000) {
        if ((await dlqCount()) >= 1) {
          toDlqMs = performance.now() - t0;
          break;
        }
        await sleep(50);
      }
      const prefetch = worker.topology()?.prefetch;
      const { retried, deadLettered } = worker.stats;
      await worker.stop();
      workerStopped = true;
      const before = await dlqCount();
      const published = tuning.queueMaxLength + 5;
      let confirmed = 0;
      for (let i = 0; i < published; i++) if (await publish(JSON.stringify({ probe: 'cp-9', i }))) confirmed++;
      await sleep(tuning.queueMessageTtlMs + 1500);
      const expiredToDlq = (await dlqCount()) - before;
      await ch.close().catch(() => undefined);
      return judgeAmqp({ baseDelayMs: tuning.notificationRetryBaseDelayMs, maxAttempts: 3, retried, deadLettered, toDlqMs, prefetch, maxLength: tuning.queueMaxLength, published, confirmed, refused: published - confirmed, ttlMs: tuning.queueMessageTtlMs, expiredToDlq });
    } finally {
      if (!workerStopped) await worker.stop().catch(() => undefined);
      const cleanup = await conn.createChannel();
      cleanup.on('error', () => undefined);
      for (const q of [t.mainQueue.name, ...t.retryQueues.map((r) => r.name), dlq, `${namespace}notifications`]) await cleanup.deleteQueue(q).catch(() => undefined);
      for (const x of [names.exchange, t.deadLetter!.exchange]) await cleanup.deleteExchange(x).catch(() => undefined);
      await conn.close().catch(() => undefined);
    }
  },
};
