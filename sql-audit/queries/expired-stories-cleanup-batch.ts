import type { NamedQuery } from './types.ts';

/** CP-7: optimized cleanup, at most 1,000 expired stories per statement, oldest first (repeated until none). */
export const expiredStoriesCleanupBatch = {
  id: 'expired_stories_cleanup_batch',
  description: 'Delete one batch of at most 1,000 expired stories (batched cleanup under a lock).',
  sql: `DELETE FROM stories
WHERE id IN (
  SELECT id FROM stories
  WHERE expires_at < $1
  ORDER BY expires_at
  LIMIT 1000
)`,
  params: [{ name: 'now', pgType: 'timestamptz', pick: { kind: 'sql', sql: 'SELECT now()' } }],
  runsIn: { service: 'story', trigger: 'cleanup job, every 15 min, under a Redis lock' },
  family: 'expired_stories_cleanup',
  usedWhen: { switch: 'story-cleanup-batched', on: true },
  writes: true,
  claimIds: ['CP-7'],
} as const satisfies NamedQuery;
