/**
 * rabbitmq-down (NF-9, CP-8): RabbitMQ's proxy disabled while users comment (each comment on
 * someone else's post publishes comment.created with publisher confirms; the notifications
 * worker stores one notification per event). Comments keep being accepted; after RabbitMQ is back
 * and the worker has drained, every event the platform acknowledged (eventPublished: true) must
 * have its notification: zero acknowledged notifications lost. Unacknowledged ones are counted
 * apart (the platform said it did not publish them).
 * The issue names chat-burst as the load; comments are used because their acknowledgement is in
 * the HTTP answer, which makes "acknowledged" a fact rather than an inference.
 */
import { request } from 'undici';
import { signAccessToken } from '../../reference-system/index.ts';
import type { StackState } from '../../stack/index.ts';
import type { ExperimentDescriptor } from '../descriptor.ts';
import type { ProbeSpec } from '../experiment.ts';
import { hypothesis, type Measurements } from '../hypothesis.ts';
import { errorCodeOf, probeAgent } from '../gateway.ts';
import { requirePlatform, sql, STEADY_P99_MS } from './common.ts';

const COMMENTERS = 40;
const DRAIN_WAIT_MS = 20_000;

/** The comment ids the platform acknowledged (eventPublished: true) and the ones it did not. */
interface Comments {
  acked: number[];
  unacked: number[];
}

/** A post's comments URL, and tokens of commenters who are not its author (their comments notify the author). */
async function commentTarget(stack: StackState): Promise<{ url: string; tokens: string[] }> {
  const platform = requirePlatform(stack, 'rabbitmq-down');
  const [post] = await sql<{ id: number; user_id: number }>(stack, 'SELECT id, user_id FROM posts WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
  if (!post) throw new Error('the platform database has no posts to comment on');
  const users = await sql<{ id: number }>(stack, 'SELECT id FROM users WHERE id <> $1 ORDER BY id LIMIT $2', [post.user_id, COMMENTERS]);
  const tokens = await Promise.all(users.map((u) => signAccessToken(platform.jwtSecret, Number(u.id))));
  return { url: new URL(`/api/posts/${post.id}/comments`, platform.gateway).toString(), tokens };
}

/** A probe that posts a comment as each commenter in turn, sorting the answers into `comments`. */
function commentProbe(url: string, tokens: string[], comments: Comments): { probe: ProbeSpec; close: () => Promise<void> } {
  const agent = probeAgent(4);
  let next = 0;
  const probe: ProbeSpec = {
    concurrency: 2,
    pauseMs: 200,
    timeoutMs: 35_000,
    slowMs: 2000,
    async call(signal) {
      const token = tokens[next++ % tokens.length]!;
      const res = await request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'brink chaos probe comment' }),
        signal,
        dispatcher: agent,
      });
      const text = await res.body.text();
      if (res.statusCode !== 201) {
        const reason = errorCodeOf(text);
        return { status: res.statusCode, ok: false, ...(reason ? { reason } : {}) };
      }
      const body = JSON.parse(text) as { comment: { id: number }; eventPublished?: boolean };
      (body.eventPublished ? comments.acked : comments.unacked).push(body.comment.id);
      return { status: 201, ok: true };
    },
  };
  return { probe, close: () => agent.close() };
}

/**
 * The notifications of the acknowledged comments. The worker may still be draining what queued
 * up: wait until every acknowledged event has its notification or the drain time is up, then count.
 */
async function countNotifications(stack: StackState, { acked, unacked }: Comments): Promise<Measurements> {
  const deadline = Date.now() + DRAIN_WAIT_MS;
  let found = 0;
  for (;;) {
    const rows = await sql<{ n: string }>(stack, "SELECT count(DISTINCT payload->>'commentId') AS n FROM notifications WHERE kind = 'comment.created' AND (payload->>'commentId')::bigint = ANY($1::bigint[])", [acked]);
    found = Number(rows[0]?.n ?? 0);
    if (found >= acked.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { acknowledged: acked.length, unacknowledged: unacked.length, notificationsFound: found, notificationsLost: acked.length - found };
}

export const rabbitmqDown: ExperimentDescriptor = {
  id: 'rabbitmq-down',
  description: 'RabbitMQ proxy disabled while users comment: comments still accepted; after recovery zero acknowledged notifications lost',
  claimIds: ['NF-9', 'CP-8', 'CP-9'],
  proxies: ['rabbitmq'],
  recipe: [
    'brink chaos inject rabbitmq down',
    'curl -s -X POST -H "authorization: Bearer $TOKEN" -H "content-type: application/json" -d \'{"body":"hello"}\' $GATEWAY/api/posts/1/comments',
    'brink chaos clear rabbitmq',
    'psql "$POSTGRES_URL" -c "SELECT count(*) FROM notifications WHERE kind = \'comment.created\'"',
  ],
  timing: {
    smoke: { steadyMs: 5_000, methodMs: 10_000, recoverMs: 15_000, afterMs: 5_000 },
    load: { steadyMs: 15_000, methodMs: 30_000, recoverMs: 30_000, afterMs: 10_000 },
  },
  async prepare({ stack, timing }) {
    const { url, tokens } = await commentTarget(stack);
    const comments: Comments = { acked: [], unacked: [] };
    const { probe, close } = commentProbe(url, tokens, comments);
    return {
      probe,
      faults: [{ id: 'down', proxy: 'rabbitmq', startMs: 0, stopMs: timing.methodMs, action: { kind: 'disable' } }],
      hypotheses: [
        hypothesis('comments are accepted before the fault', 'before', 'errorRate <= 0.01', `p99Ms < ${STEADY_P99_MS}`),
        hypothesis('without RabbitMQ comments are still accepted', 'during', 'errorRate <= 0.01'),
        hypothesis('after recovery, zero acknowledged notifications lost (NF-9)', 'after', 'acknowledged > 0', 'notificationsLost == 0'),
      ],
      measure: async (phase): Promise<Measurements> => (phase === 'after' ? countNotifications(stack, comments) : {}),
      stop: close,
    };
  },
};
