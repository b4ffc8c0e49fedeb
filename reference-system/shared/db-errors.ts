/** What a failed query means: a statement timeout, an unreachable database, or a bad query. */

/** SQLSTATE 57014: query_canceled, what a statement timeout raises. */
export function isStatementTimeout(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === '57014';
}

/** Errors that mean the database (or PgBouncer) could not be reached, as opposed to a bad query. */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const msg = typeof err?.message === 'string' ? err.message : '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08000', '08003', '08006', '08001', '08004'].includes(code) ||
    /timeout exceeded when trying to connect|Connection terminated|connection timeout|server closed the connection|no more connections allowed|Client has encountered a connection error/i.test(msg)
  );
}

/** The `outcome` label of a failed query in brink_db_query_duration_seconds. */
export function failedQueryOutcome(e: unknown): 'timeout' | 'unavailable' | 'error' {
  return isStatementTimeout(e) ? 'timeout' : isConnectionError(e) ? 'unavailable' : 'error';
}
