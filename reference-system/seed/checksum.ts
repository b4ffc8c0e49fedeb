/**
 * Fingerprints of the seeded data: per table, the row count and an md5 over every 101st row in key
 * order (whole rows, as text). Two seedings with the same seed and anchor must give equal
 * fingerprints; a different seed must not. Sampling keeps it fast on medium and large data.
 */
import type { Queryable } from './dataset-info.ts';
import type { SeededTable } from './generate.ts';

const SAMPLE_EVERY = 101;

const SAMPLE_KEY: Record<SeededTable, string> = {
  users: 'id',
  follows: 'id',
  posts: 'id',
  comments: 'id',
  conversations: 'id',
  conversation_members: 'conversation_id, user_id',
  messages: 'id',
  stories: 'id',
};

export async function datasetChecksums(client: Queryable): Promise<Record<SeededTable, { rows: number; md5: string }>> {
  const out = {} as Record<SeededTable, { rows: number; md5: string }>;
  for (const [table, key] of Object.entries(SAMPLE_KEY) as [SeededTable, string][]) {
    const first = key.split(',')[0]!.trim();
    const r = await client.query(
      `SELECT (SELECT count(*) FROM ${table})::int AS rows,
              md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${key}), '')) AS md5
         FROM ${table} t WHERE ${first} % ${SAMPLE_EVERY} = 1`,
    );
    out[table] = { rows: r.rows[0].rows, md5: r.rows[0].md5 };
  }
  return out;
}
