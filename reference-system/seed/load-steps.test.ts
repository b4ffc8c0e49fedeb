import { describe, expect, it } from 'vitest';
import { datasetInfoOf } from './load-steps.ts';
import { SCALES } from './scales.ts';

describe('the seeded dataset description', () => {
  const spec = { ...SCALES.small, heavyUserPosts: [100_000, 10_000], heavyConversationMessages: [10_000] };
  const gen = {
    heavyUserIds: [1, 2],
    heavyUserDeletedPosts: [1_200, 130],
    heavyConversationIds: [1],
    memberIds: (id: number) => (id === 1 ? [3, 4, 5] : []),
    sampleUserIds: () => [10, 11],
  };
  const tables = [
    { table: 'users' as const, rows: 2_000, durationMs: 10, rowsPerSec: 200_000 },
    { table: 'posts' as const, rows: 150_000, durationMs: 100, rowsPerSec: 1_500_000 },
  ];

  it('takes row counts from what COPY loaded (0 for a table not loaded) and the heavy shapes from the generator', () => {
    const info = datasetInfoOf({ scale: 'small', spec, seed: 7, anchorMs: Date.UTC(2026, 0, 2) }, gen, tables, 42, new Date(Date.UTC(2026, 0, 3)));
    expect([info.users, info.posts, info.comments, info.expiredStories]).toEqual([2_000, 150_000, 0, 42]);
    expect(info.heavyUsers).toEqual([
      { id: 1, posts: 100_000, deletedPosts: 1_200 },
      { id: 2, posts: 10_000, deletedPosts: 130 },
    ]);
    expect(info.heavyConversations).toEqual([{ id: 1, messages: 10_000, memberIds: [3, 4, 5] }]);
    expect(info.sampleUserIds).toEqual([10, 11]);
    expect([info.scale, info.seed, info.anchorAt, info.seededAt]).toEqual(['small', 7, '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z']);
  });
});
