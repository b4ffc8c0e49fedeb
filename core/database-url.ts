/**
 * A database URL pointing at another database of the same server. Pure, and below both the stack
 * (which creates databases) and the platform (which connects to one given only URLs).
 */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
