/**
 * The comments outbox (switch `comments-outbox`, issue 18): comment.created is written to
 * comment_outbox in the comment's own transaction, so an accepted comment always has its event,
 * whatever RabbitMQ is doing. The relay publishes unsent rows with publisher confirms and marks
 * them sent: a bounded batch per transaction, rows claimed with FOR UPDATE SKIP LOCKED (several
 * relays never publish the same row at once), and a doubling pause while the broker refuses.
 * A row published but not marked (a crash between the confirm and the commit) is published again
 * with the same event id, which the notifications worker de-duplicates: at least once, stored once.
 * The table comes from sql-audit/migrations/010-comment-outbox.sql, applied (up) at start.
 */
import { listMigrations } from '../../../sql-audit/index.ts';
import type { Db, DomainEvent, ServiceContext } from '../../shared/context.ts';

export const OUTBOX_MIGRATION = '010-comment-outbox';

export const OUTBOX_SQL = {
  insert: `INSERT INTO comment_outbox (comment_id, event) VALUES ($1, $2) RETURNING id`,
  claim_batch: `SELECT id, event FROM comment_outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
  claim_one: `SELECT id, event FROM comment_outbox WHERE id = $1 AND sent_at IS NULL FOR UPDATE SKIP LOCKED`,
  mark_sent: `UPDATE comment_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`,
  mark_attempt: `UPDATE comment_outbox SET attempts = attempts + 1 WHERE id = $1`,
} as const;

/** An event with the stable id the relay publishes it under. */
export type OutboxEvent = DomainEvent & { id: string };

export interface RelayOptions {
  batchSize?: number;
  /** Pause between polls when nothing failed. */
  idleMs?: number;
  /** First pause after a failed publish; doubles up to maxBackoffMs while the broker refuses. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface OutboxRelay {
  /** Publishes one row now (the request that wrote it); false if it could not (the relay will). */
  publishNow(outboxId: number): Promise<boolean>;
  /** Runs the relay soon (a row was left for it). */
  kick(): void;
  /** Rows published since start, and publishes that failed. */
  readonly counts: { published: number; failed: number };
  stop(): Promise<void>;
}

/** Creates the outbox table if it is missing (the migration's up: idempotent, additive). */
export async function ensureOutboxTable(ctx: ServiceContext): Promise<void> {
  const m = listMigrations().find((x) => x.id === OUTBOX_MIGRATION);
  if (!m) throw new Error(`migration ${OUTBOX_MIGRATION} is missing from sql-audit/migrations`);
  await ctx.db.forModule('comments').query('outbox_migration_up', m.up);
}

export function startOutboxRelay(ctx: ServiceContext, opts: RelayOptions = {}): OutboxRelay {
  return new RelayLoop(ctx, {
    batchSize: opts.batchSize ?? 50,
    idleMs: opts.idleMs ?? 1_000,
    backoffMs: opts.backoffMs ?? 500,
    maxBackoffMs: opts.maxBackoffMs ?? 10_000,
  });
}

/** The pause after a failed pass: the first backoff, then doubling up to the maximum. */
export function nextBackoff(pauseMs: number, timing: Pick<Required<RelayOptions>, 'backoffMs' | 'maxBackoffMs'>): number {
  return Math.min(timing.maxBackoffMs, pauseMs === 0 ? timing.backoffMs : pauseMs * 2);
}

interface PassResult {
  claimed: number;
  sent: number;
  failed: boolean;
}

/** One relay: a timer-driven pass over unsent rows, with the backoff state between passes. */
class RelayLoop implements OutboxRelay {
  readonly counts = { published: 0, failed: 0 };
  readonly #ctx: ServiceContext;
  readonly #timing: Required<RelayOptions>;
  readonly #db: Db;
  #pauseMs = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(ctx: ServiceContext, timing: Required<RelayOptions>) {
    this.#ctx = ctx;
    this.#timing = timing;
    this.#db = ctx.db.forModule('comments');
    this.#schedule(timing.idleMs);
  }

  async publishNow(outboxId: number): Promise<boolean> {
    try {
      const r = await this.#relay(OUTBOX_SQL.claim_one, [outboxId]);
      if (r.sent === 1 && this.#pauseMs > 0) {
        // The broker is back: stop backing off and send what waited.
        this.#pauseMs = 0;
        this.#schedule(0);
      }
      return r.sent === 1;
    } catch {
      return false;
    }
  }

  kick(): void {
    // While the broker refuses, the backoff decides; otherwise run at once.
    if (this.#pauseMs === 0) this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const timer = setTimeout(() => void this.#tick(), ms);
    timer.unref();
    this.#timer = timer;
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#running) return;
    let next = this.#timing.idleMs;
    this.#running = (async () => {
      if (!this.#ctx.switches['comments-outbox']) return;
      next = await this.#pass();
    })();
    await this.#running;
    this.#running = undefined;
    this.#schedule(next);
  }

  /** One batch; returns the pause before the next pass. */
  async #pass(): Promise<number> {
    try {
      const r = await this.#relay(OUTBOX_SQL.claim_batch, [this.#timing.batchSize]);
      if (r.failed) return (this.#pauseMs = nextBackoff(this.#pauseMs, this.#timing));
      this.#pauseMs = 0;
      return r.claimed === this.#timing.batchSize ? 0 : this.#timing.idleMs; // a full batch: more may be waiting
    } catch (e) {
      // The database itself failed (outage, pool closing): same pause as a refusing broker.
      this.#pauseMs = nextBackoff(this.#pauseMs, this.#timing);
      if (!this.#stopped) this.#ctx.log.warn({ err: (e as Error).message }, 'outbox: relay pass failed');
      return this.#pauseMs;
    }
  }

  /** Publishes the claimed rows in order; marks those confirmed; stops at the first refusal. */
  #relay(claim: string, params: unknown[]): Promise<PassResult> {
    return this.#db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; event: OutboxEvent }>('outbox_claim', claim, params);
      const sent: string[] = [];
      let failed = false;
      for (const r of rows) {
        try {
          await this.#ctx.publish(r.event);
          sent.push(r.id);
        } catch (e) {
          failed = true;
          this.counts.failed++;
          await tx.query('outbox_mark_attempt', OUTBOX_SQL.mark_attempt, [r.id]);
          this.#ctx.log.warn({ err: (e as Error).message, outboxId: r.id }, 'outbox: comment.created not published yet; will retry');
          break;
        }
      }
      if (sent.length > 0) await tx.query('outbox_mark_sent', OUTBOX_SQL.mark_sent, [sent]);
      this.counts.published += sent.length;
      return { claimed: rows.length, sent: sent.length, failed };
    });
  }
}
