/**
 * What was seeded, stored in the database itself (table dataset_info, key 'dataset') so scenarios,
 * benchmarks and tests read the heavy users, heavy conversations and search terms from the data
 * they run against instead of guessing ids.
 */
import type { ScaleName } from './scales.ts';
import type { SearchTerms } from './text.ts';

export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface DatasetInfo {
  scale: ScaleName;
  seed: number;
  users: number;
  follows: number;
  posts: number;
  comments: number;
  conversations: number;
  messages: number;
  stories: number;
  /** Stories whose expires_at was already past at seeding time (CP-7's cleanup backlog). */
  expiredStories: number;
  /** NV-1: `posts` counts live and soft-deleted rows; `deletedPosts` the soft-deleted among them. */
  heavyUsers: { id: number; posts: number; deletedPosts: number }[];
  /** NV-2. */
  heavyConversations: { id: number; messages: number; memberIds: number[] }[];
  /** Ordinary users (not heavy) for load tests to log in as: up to 1,000, drawn uniformly. */
  sampleUserIds: number[];
  searchTerms: SearchTerms;
  /** Every timestamp in the data is relative to this instant (ISO). */
  anchorAt: string;
  seededAt: string;
}

export const DATASET_INFO_DDL = `CREATE TABLE IF NOT EXISTS dataset_info (key text PRIMARY KEY, value jsonb NOT NULL)`;

export async function writeDatasetInfo(client: Queryable, info: DatasetInfo): Promise<void> {
  await client.query(DATASET_INFO_DDL);
  await client.query(
    `INSERT INTO dataset_info (key, value) VALUES ('dataset', $1::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(info)],
  );
}

/** The dataset description, or undefined if the database was never seeded. */
export async function readDatasetInfo(client: Queryable): Promise<DatasetInfo | undefined> {
  const exists = await client.query(`SELECT to_regclass('dataset_info') IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return undefined;
  const r = await client.query(`SELECT value FROM dataset_info WHERE key = 'dataset'`);
  return r.rows[0]?.value as DatasetInfo | undefined;
}
