import { describe, expect, it } from 'vitest';
import { parseQueryFile } from './query-folder.ts';

describe('parseQueryFile', () => {
  it('reads name, description and typed parameter values from the header', () => {
    const q = parseQueryFile('/q/timeline.sql', [
      '-- name: user_timeline',
      '-- description: a user timeline',
      '-- $1: 42',
      "-- $2: 'it''s'",
      '-- $3: [1, 2, 3]',
      '-- $4: 2024-01-01T00:00:00Z',
      'SELECT * FROM posts WHERE user_id = $1 AND body <> $2 AND id = ANY($3) AND created_at > $4;',
    ].join('\n'));
    expect(q.id).toBe('user_timeline');
    expect(q.description).toBe('a user timeline');
    expect(q.params.map((p) => (p.pick as { value: unknown }).value)).toEqual([42, "it's", [1, 2, 3], '2024-01-01T00:00:00Z']);
    expect(q.sql.endsWith('$4')).toBe(true);
  });
  it('defaults the name to the file name and stops at a missing $n', () => {
    const q = parseQueryFile('/q/by_user.sql', '-- $1: 1\n-- $3: 3\nSELECT 1 WHERE $1 = $2 AND $3 = 3');
    expect(q.id).toBe('by_user');
    expect(q.params).toHaveLength(1);
  });
});
