/**
 * Batched message inserts (`chat-batched-inserts`, issue 14): messages arriving within a few
 * milliseconds share one multi-row INSERT (unnest of arrays), so 1,000 msg/s cost tens of
 * statements a second instead of 1,000 round trips through PgBouncer. Each caller still awaits its
 * own row: the ack is sent only after Postgres stored it. The ids come from the table's sequence
 * in the order the rows are inserted, which is the arrays' order, so the returned rows sorted by
 * id line up with the callers. If a batch fails, its rows are retried one by one, so one bad row
 * cannot fail the others.
 */
import type { Db } from '../../shared/context.ts';

export interface MessageRow {
  conversationId: number;
  senderId: number;
  body: string;
  clientTs: number | null;
}

export interface StoredRow {
  id: string;
  created_at: Date;
}

export const INSERT_ONE = 'INSERT INTO messages (conversation_id, sender_id, body, client_ts) VALUES ($1, $2, $3, $4) RETURNING id, created_at';
export const INSERT_BATCH = `INSERT INTO messages (conversation_id, sender_id, body, client_ts)
SELECT c, s, b, t FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) WITH ORDINALITY AS x(c, s, b, t, ord)
ORDER BY ord
RETURNING id, created_at`;

interface Waiting {
  row: MessageRow;
  resolve: (r: StoredRow) => void;
  reject: (e: unknown) => void;
}

export interface BatcherOptions {
  /** How long the first message of a batch waits for company. */
  maxDelayMs: number;
  maxRows: number;
}

export const DEFAULT_BATCHER: BatcherOptions = { maxDelayMs: 2, maxRows: 200 };

export class MessageBatcher {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  batches = 0;
  rows = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: BatcherOptions = DEFAULT_BATCHER,
  ) {}

  insert(row: MessageRow): Promise<StoredRow> {
    return new Promise<StoredRow>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (this.queue.length >= this.opts.maxRows) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.opts.maxDelayMs);
    });
  }

  /** Sends what is queued now (also called on stop, so nothing waits for a timer that will not fire). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: Waiting[]): Promise<void> {
    this.batches++;
    this.rows += batch.length;
    try {
      const rows = await this.db.query<StoredRow & Record<string, unknown>>('insert_messages_batch', INSERT_BATCH, [
        batch.map((w) => w.row.conversationId),
        batch.map((w) => w.row.senderId),
        batch.map((w) => w.row.body),
        batch.map((w) => w.row.clientTs),
      ]);
      if (rows.length !== batch.length) throw new Error(`batch insert returned ${rows.length} rows for ${batch.length}`);
      const sorted = [...rows].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      batch.forEach((w, i) => w.resolve(sorted[i]!));
    } catch {
      await Promise.all(
        batch.map(async (w) => {
          try {
            const [r] = await this.db.query<StoredRow & Record<string, unknown>>('insert_message', INSERT_ONE, [w.row.conversationId, w.row.senderId, w.row.body, w.row.clientTs]);
            w.resolve(r!);
          } catch (e) {
            w.reject(e);
          }
        }),
      );
    }
  }
}
