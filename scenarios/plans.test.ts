import { describe, expect, it } from 'vitest';
import { parseDurationS, planFor, PLANS, PROFILE_NAMES } from './k6/lib/plans.js';
import { chatSlotOf, chatSlots, feedAction, FEED_MIX } from './k6/lib/mix.js';
import type { SetupData } from './types.ts';

describe('load plans (k6/lib/plans.js)', () => {
  it('has every profile for every scenario', () => {
    for (const byProfile of Object.values(PLANS)) expect(Object.keys(byProfile).sort()).toEqual([...PROFILE_NAMES].sort());
  });

  it('load for feed is NV-14 with p(99) < 500', () => {
    const p = planFor('feed', 'load');
    expect(p.scenario).toMatchObject({ executor: 'ramping-vus', stages: [{ duration: '2m', target: 10 }, { duration: '5m', target: 100 }, { duration: '2m', target: 200 }, { duration: '1m', target: 0 }] });
    expect(p.thresholds['http_req_duration{name:feed}']).toEqual(['p(99)<500']);
  });

  it('scales every duration, never below one second', () => {
    const p = planFor('feed', 'load', 0.1);
    expect(p.scenario.executor === 'ramping-vus' && p.scenario.stages.map((s) => s.duration)).toEqual(['12s', '30s', '12s', '6s']);
    expect(planFor('search-spike', 'smoke', 0.01).scenario).toMatchObject({ duration: '1s' });
    expect(planFor('chat-burst', 'load', 0.1).chat).toMatchObject({ connectWindowS: 2, burstS: 12, drainS: 1 });
  });

  it('parses durations like k6', () => {
    expect(parseDurationS('1m30s')).toBe(90);
    expect(parseDurationS('1h')).toBe(3600);
    expect(parseDurationS('250ms')).toBe(0.25);
    expect(() => parseDurationS('2 minutes')).toThrow('duration "2 minutes" is not like 30s, 2m, 1m30s');
  });

  it('refuses unknown scenarios and profiles', () => {
    expect(() => planFor('feed', 'huge')).toThrow('unknown profile "huge"; expected one of: smoke, load, stress, spike, soak');
  });
});

describe('scenario mixes (k6/lib/mix.js)', () => {
  it('feed mix weights sum to 100 and map r onto actions', () => {
    expect(FEED_MIX.reduce((a, m) => a + m.weight, 0)).toBe(100);
    expect(feedAction(0)).toBe('feed');
    expect(feedAction(0.6)).toBe('get_user_posts');
    expect(feedAction(0.999)).toBe('create_comment');
  });

  const data = {
    conversations: [
      { id: 1, members: [{ id: 1, token: 'a' }, { id: 2, token: 'b' }, { id: 3, token: 'c' }] },
      { id: 2, members: [{ id: 4, token: 'd' }, { id: 5, token: 'e' }] },
    ],
  } as unknown as SetupData;

  it('seats two members per conversation before a third, and counts connected peers', () => {
    expect(chatSlots(data).map((s) => `${s.conversationId}:${s.user.id}`)).toEqual(['1:1', '1:2', '2:4', '2:5', '1:3']);
    expect(chatSlotOf(data, 1, 4)).toMatchObject({ conversationId: 1, peers: 1, spare: false });
    expect(chatSlotOf(data, 1, 5)).toMatchObject({ conversationId: 1, peers: 2 });
    expect(chatSlotOf(data, 6, 6)).toMatchObject({ spare: true, peers: 0 });
  });
});
