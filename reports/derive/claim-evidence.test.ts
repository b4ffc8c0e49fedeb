import { describe, expect, it } from 'vitest';
import { claimEvidence, evidenceText, switchesIn } from './claim-evidence.ts';

describe('claim evidence', () => {
  it('reads the switches a method toggled', () => {
    expect(switchesIn('switch cache off/on; 200 GET /api/users/:id')).toEqual(['cache']);
    expect(switchesIn('switches batched-hydration and idx-follows-follower off/on (cache off)')).toEqual(['batched-hydration', 'idx-follows-follower']);
    expect(switchesIn('switches compression, redis-rate-limit and breakers off, then on')).toEqual(['compression', 'redis-rate-limit', 'breakers']);
    expect(switchesIn('opened up to 1100 client connections')).toEqual([]);
  });

  it('names the runs, EXPLAIN plans and raw values a claim stands on', () => {
    const runs = [{ label: 'runs/feed-optimized' }, { label: 'runs/chat-burst-optimized' }] as never;
    const explains = [{ query: 'get_user_posts' }, { query: 'comments_by_post' }] as never;
    const c = { id: 'NV-1', claim: '', method: 'switch idx-posts-user-created off/on; get_user_posts (catalog SQL)', measured: '', verdict: 'PARTLY' as const, reason: '', values: { a: 1, b: 2 } };
    const e = claimEvidence(c, runs, explains);
    expect(e).toEqual({ switches: ['idx-posts-user-created'], runs: [], explains: ['get_user_posts'], values: 2 });
    expect(evidenceText(e)).toBe('switch: idx-posts-user-created; EXPLAIN before/after: get_user_posts (Findings); 2 raw values in claims.json');
    const s = claimEvidence({ ...c, method: 'scenario runs (optimized, smoke profile): feed, search-spike, chat-burst', values: {} }, runs, explains);
    expect(s.runs).toEqual(['runs/feed-optimized', 'runs/chat-burst-optimized']);
  });
});
