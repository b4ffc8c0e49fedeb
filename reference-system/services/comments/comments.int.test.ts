import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import amqp from 'amqplib';
import { EVENTS_EXCHANGE } from '../../shared/publisher.ts';
import { seedPosts, seedUsers, startHarness, type Harness } from '../common/test-harness.ts';
import { commentsService } from './index.ts';

const stack = inject('stack');
let h: Harness;
let postId: number;

beforeAll(async () => {
  h = await startHarness(stack, 'svc_comments_it', [commentsService], { variant: 'optimized' });
  await seedUsers(h.sql, 4);
  await seedPosts(h.sql, 1, 3);
  postId = Number((await h.sql.query("SELECT id FROM posts WHERE body = 'post 1 of user 1'")).rows[0].id);
});
afterAll(async () => h?.close());

describe('POST /api/posts/:id/comments', () => {
  it('adds the comment, counts it on the post, drops the cached list and notifies the post author', async () => {
    const conn = await amqp.connect(stack.urls.amqp);
    const ch = await conn.createChannel();
    await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EVENTS_EXCHANGE, 'comment.created');
    try {
      expect((await h.call('comments', 'GET', `/api/posts/${postId}/comments`)).json.items).toEqual([]);
      expect((await h.call('comments', 'GET', `/api/posts/${postId}/comments`)).headers.get('x-cache')).toBe('hit');

      const r = await h.call('comments', 'POST', `/api/posts/${postId}/comments`, { as: 2, body: { body: 'great post' } });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ comment: { postId, authorId: 2, body: 'great post' }, eventPublished: true });

      const list = await h.call('comments', 'GET', `/api/posts/${postId}/comments`);
      expect(list.headers.get('x-cache')).toBe('miss');
      expect(list.json.items.map((c: { body: string }) => c.body)).toEqual(['great post']);
      expect((await h.sql.query('SELECT comment_count FROM posts WHERE id = $1', [postId])).rows[0].comment_count).toBe(1);

      const msg = JSON.parse(await getOne(ch, queue));
      expect(msg).toMatchObject({ type: 'comment.created', recipients: [1], payload: { postId, authorId: 2, commentId: r.json.comment.id }, source: 'comments' });
    } finally {
      await conn.close();
    }
  });

  it('publishes nothing when authors comment on their own post', async () => {
    const r = await h.call('comments', 'POST', `/api/posts/${postId}/comments`, { as: 1, body: { body: 'thanks' } });
    expect(r.status).toBe(201);
    expect(r.json.eventPublished).toBeUndefined();
  });

  it('answers 404 for a missing or deleted post and counts nothing', async () => {
    expect((await h.call('comments', 'POST', '/api/posts/99999/comments', { as: 2, body: { body: 'hello?' } })).status).toBe(404);
    const deleted = Number((await h.sql.query("UPDATE posts SET deleted_at = now() WHERE body = 'post 2 of user 1' RETURNING id")).rows[0].id);
    const r = await h.call('comments', 'POST', `/api/posts/${deleted}/comments`, { as: 2, body: { body: 'too late' } });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toBe(`post ${deleted} does not exist`);
    expect((await h.sql.query('SELECT count(*)::int AS n FROM comments WHERE post_id = $1', [deleted])).rows[0].n).toBe(0);
    expect((await h.call('comments', 'GET', `/api/posts/${deleted}/comments`)).status).toBe(404);
  });

  it('refuses anonymous callers (401) and bad bodies (400 naming body)', async () => {
    expect((await h.call('comments', 'POST', `/api/posts/${postId}/comments`, { body: { body: 'anon' } })).status).toBe(401);
    const r = await h.call('comments', 'POST', `/api/posts/${postId}/comments`, { as: 2, body: { text: 'wrong field' } });
    expect(r.status).toBe(400);
    expect(r.json.error.field).toBe('body');
  });
});

describe('GET /api/posts/:id/comments', () => {
  it('pages newest first by keyset, and by OFFSET with keyset-paging off', async () => {
    const third = Number((await h.sql.query("SELECT id FROM posts WHERE body = 'post 3 of user 1'")).rows[0].id);
    await h.sql.query(
      `INSERT INTO comments (post_id, author_id, body, created_at)
       SELECT $1, 2, 'comment ' || g, now() - make_interval(secs => g) FROM generate_series(1, 25) g`,
      [third],
    );
    for (const keyset of [true, false]) {
      h.switches['keyset-paging'] = keyset;
      const bodies: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 5; i++) {
        const r = await h.call('comments', 'GET', `/api/posts/${third}/comments?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
        bodies.push(...r.json.items.map((c: { body: string }) => c.body));
        cursor = r.json.nextCursor;
        if (!cursor) break;
      }
      expect(bodies).toEqual(Array.from({ length: 25 }, (_, i) => `comment ${i + 1}`));
    }
    h.switches['keyset-paging'] = true;
  });
});

async function getOne(ch: amqp.Channel, queue: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = await ch.get(queue, { noAck: true });
    if (m) return m.content.toString('utf8');
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no message on ${queue} within 2.5 s`);
}
