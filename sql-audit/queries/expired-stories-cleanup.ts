import type { NamedQuery } from './types.ts';

/** CP-7: baseline cleanup, one DELETE of every expired story (long lock, a seq scan without stories(expires_at)). */
export const expiredStoriesCleanup = {
  id: 'expired_stories_cleanup',
  description: 'Delete every expired story in one statement (baseline).',
  sql: `DELETE FROM stories
WHERE expires_at < $1`,
  params: [{ name: 'now', pgType: 'timestamptz', pick: { kind: 'sql', sql: 'SELECT now()' } }],
  runsIn: { service: 'story', trigger: 'cleanup job, every 15 min' },
  family: 'expired_stories_cleanup',
  usedWhen: { switch: 'story-cleanup-batched', on: false },
  writes: true,
  claimIds: ['CP-7'],
} as const satisfies NamedQuery;
