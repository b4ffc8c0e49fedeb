/**
 * The `message:send` payload, checked once where it enters. Every failure maps to a short reason
 * code for the error ack; the connection stays open and nothing is stored.
 */
import { z } from 'zod';

export const MAX_BODY_CHARS = 2_000;

export const sendMessageSchema = z.object({
  conversationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  body: z.string().min(1).max(MAX_BODY_CHARS),
  /** The sender's clock (ms since epoch), echoed to recipients so they can measure delivery latency. */
  clientTs: z.number().finite().nonnegative().optional(),
});

export type SendMessage = z.infer<typeof sendMessageSchema>;

export const SEND_ERRORS = ['invalid_payload', 'body_empty', 'body_too_long', 'conversation_not_found', 'not_a_member', 'rate_limited', 'internal_error'] as const;
export type SendError = (typeof SEND_ERRORS)[number];

export type SendAck = { ok: true; id: number; createdAt: string } | { ok: false; error: SendError; message: string };

export type Parsed = { ok: true; value: SendMessage } | { ok: false; ack: Extract<SendAck, { ok: false }> };

export function parseSendMessage(raw: unknown): Parsed {
  const r = sendMessageSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  if (field === 'body' && issue.code === 'too_big') return fail('body_too_long', `body is longer than ${MAX_BODY_CHARS} characters`);
  if (field === 'body' && issue.code === 'too_small') return fail('body_empty', 'body is empty');
  return fail('invalid_payload', field ? `${field}: ${issue.message}` : `expected { conversationId, body, clientTs }: ${issue.message}`);
}

function fail(error: SendError, message: string): Parsed {
  return { ok: false, ack: { ok: false, error, message } };
}
