/**
 * Prepares setup-data.json before any load: seeded users from the database's dataset_info, access
 * tokens minted with the platform's secret (never through login: its rate limit is 5 per 15 min
 * per IP), heavy users, conversations with their members' tokens, search terms. Both engines read
 * the file. When the heavy conversations seat fewer members than chat-burst has VUs, extra
 * conversations are created through the API (POST /api/conversations) before the load starts.
 */
import pg from 'pg';
import { BrinkError, invalidInput } from '../core/index.ts';
import { readDatasetInfo, signAccessToken } from '../reference-system/index.ts';
import type { StackState } from '../stack/index.ts';
import { chatSlots } from './k6/lib/mix.js';
import type { SeededUser, SetupData } from './types.ts';

export interface PrepareOptions {
  stack: StackState;
  baseUrl: string;
  /** How many users to mint tokens for. */
  users: number;
  /** chat-burst: seats needed (one per VU). */
  chatSeats?: number;
  /** Token lifetime: the plan's length plus margin. */
  tokenTtlS: number;
}

export async function prepareSetupData(o: PrepareOptions): Promise<SetupData> {
  const secret = o.stack.platform?.jwtSecret;
  if (!secret) throw new BrinkError('STACK_NOT_RUNNING', 'the stack has no platform running (no jwtSecret in its state)', { suggestion: 'start it with "brink stack up"' });
  const client = new pg.Client({ connectionString: o.stack.urls.postgres });
  await client.connect();
  let info;
  try {
    info = await readDatasetInfo(client);
  } finally {
    await client.end();
  }
  if (!info) throw invalidInput(`database at ${o.stack.urls.postgres} has no dataset_info: it was never seeded`, 'seed it with "brink seed"');
  const mint = async (id: number): Promise<SeededUser> => ({ id, token: await signAccessToken(secret, id, o.tokenTtlS) });
  const ids = info.sampleUserIds.slice(0, o.users);
  if (ids.length === 0) throw invalidInput('dataset_info has no sampleUserIds to load the platform as');
  const users = await Promise.all(ids.map(mint));
  const conversations = await Promise.all(
    info.heavyConversations.map(async (c) => ({ id: c.id, members: await Promise.all(c.memberIds.map(mint)) })),
  );
  const data: SetupData = {
    baseUrl: o.baseUrl.replace(/\/$/, ''),
    users,
    heavyUsers: info.heavyUsers.map((h) => ({ id: h.id, posts: h.posts })),
    conversations,
    searchTerms: info.searchTerms,
    dataset: `${info.scale} (seed ${info.seed}, ${info.users} users, ${info.posts} posts, seeded ${info.seededAt})`,
  };
  if (o.chatSeats) await addConversations(data, o.chatSeats);
  return data;
}

/** Creates conversations of 4 sampled users until there is a seat for every chat VU. */
async function addConversations(data: SetupData, seats: number): Promise<void> {
  let free = data.users.filter((u) => !data.conversations.some((c) => c.members.some((m) => m.id === u.id)));
  while (chatSlots(data).length < seats && free.length >= 2) {
    const members = free.slice(0, 4);
    free = free.slice(4);
    const res = await fetch(`${data.baseUrl}/api/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${members[0]!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ memberIds: members.map((m) => m.id) }),
    });
    if (!res.ok) throw new BrinkError('UNREACHABLE', `POST /api/conversations answered ${res.status} while preparing chat-burst: ${(await res.text()).slice(0, 200)}`);
    const { id } = (await res.json()) as { id: number };
    data.conversations.push({ id, members });
  }
}
