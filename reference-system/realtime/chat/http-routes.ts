/**
 * The chat service's HTTP API (reached through the gateway, which verifies the JWT and forwards the
 * caller's id in `x-user-id`): create a conversation, read its history a page at a time.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Logger } from 'pino';
import { ApiError } from '../../shared/api-errors.ts';
import { USER_ID_HEADER, type Db } from '../../shared/context.ts';
import type { Switches } from '../../../core/index.ts';
import type { Membership } from './membership.ts';
import { CursorError, decodeCursor, historyPage, historyQuery, type HistoryRow, type PagingLimits } from './history-paging.ts';

export const MAX_CONVERSATION_MEMBERS = 100;

const createBody = z.object({
  memberIds: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).min(1).max(MAX_CONVERSATION_MEMBERS),
});

const historyQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000_000).optional(),
  cursor: z.string().min(1).max(500).optional(),
});

export interface ChatRouteDeps {
  db: Db;
  membership: Membership;
  switches: Readonly<Switches>;
  limits: PagingLimits;
  log: Logger;
  /** Puts the members' connected sockets into the new conversation's room. */
  joinRoom(conversationId: number, memberIds: number[]): void;
}

function callerOf(req: Request): number {
  const raw = req.header(USER_ID_HEADER);
  const id = Number(raw);
  if (!raw || !Number.isSafeInteger(id) || id <= 0) throw new ApiError('UNAUTHENTICATED', `missing or invalid ${USER_ID_HEADER} header (the gateway sets it after verifying the token)`);
  return id;
}

function validation(e: z.ZodError, where: string): ApiError {
  const i = e.issues[0]!;
  const field = [where, ...i.path].join('.');
  return new ApiError('VALIDATION_FAILED', `${field}: ${i.message}`, field);
}

export function chatRouter(d: ChatRouteDeps): Router {
  const r = express.Router();
  r.use(express.json({ limit: '64kb' }));

  r.post('/api/conversations', async (req, res) => {
    const caller = callerOf(req);
    const parsed = createBody.safeParse(req.body);
    if (!parsed.success) throw validation(parsed.error, 'body');
    const members = [...new Set([caller, ...parsed.data.memberIds])];
    const found = await d.db.query<{ id: string }>('chat.users-exist', 'SELECT id FROM users WHERE id = ANY($1::bigint[])', [members]);
    const existing = new Set(found.map((u) => Number(u.id)));
    const missing = members.filter((m) => !existing.has(m));
    if (missing.length > 0) throw new ApiError('NOT_FOUND', `users not found: ${missing.join(', ')}`, 'memberIds');
    const id = await d.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>('chat.insert-conversation', 'INSERT INTO conversations (created_by) VALUES ($1) RETURNING id', [caller]);
      const cid = Number(rows[0]!.id);
      await tx.query('chat.insert-members', 'INSERT INTO conversation_members (conversation_id, user_id) SELECT $1, unnest($2::bigint[])', [cid, members]);
      return cid;
    });
    d.joinRoom(id, members);
    res.status(201).json({ id });
  });

  r.get('/api/conversations/:id/messages', async (req, res) => {
    const caller = callerOf(req);
    const conversationId = Number(req.params.id);
    if (!Number.isSafeInteger(conversationId) || conversationId <= 0) throw new ApiError('VALIDATION_FAILED', `conversation id "${req.params.id}" is not a positive integer`, 'id');
    const q = historyQuerySchema.safeParse(req.query);
    if (!q.success) throw validation(q.error, 'query');
    const members = await d.membership.members(conversationId);
    if (!members) throw new ApiError('NOT_FOUND', `conversation ${conversationId} does not exist`);
    if (!members.includes(caller)) throw new ApiError('FORBIDDEN', `you are not a member of conversation ${conversationId}`);
    const keyset = d.switches['keyset-paging'];
    let query;
    let previous;
    try {
      query = historyQuery(conversationId, q.data.cursor, q.data.limit, keyset, d.limits);
      const c = q.data.cursor ? decodeCursor(q.data.cursor) : undefined;
      previous = c?.kind === 'offset' ? c : undefined;
    } catch (e) {
      if (e instanceof CursorError) throw new ApiError('VALIDATION_FAILED', e.message, 'cursor');
      throw e;
    }
    const rows = await d.db.query<HistoryRow & Record<string, unknown>>(keyset ? 'get_message_history_keyset' : 'get_message_history', query.sql, query.params);
    res.json(historyPage(rows, query, keyset, previous));
  });

  return r;
}

/** Maps ApiError (and express's body-parser errors) to the platform's error body. */
export function apiErrorHandler(log: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof ApiError) {
      res.status(err.status).json(err.toBody());
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed') {
      res.status(400).json(new ApiError('VALIDATION_FAILED', 'body is not valid JSON', 'body').toBody());
      return;
    }
    if (e?.type === 'entity.too.large') {
      res.status(413).json(new ApiError('PAYLOAD_TOO_LARGE', 'body is larger than 64 KB', 'body').toBody());
      return;
    }
    log.error({ err: e?.message }, 'chat request failed');
    res.status(500).json(new ApiError('INTERNAL', 'internal error').toBody());
  };
}
