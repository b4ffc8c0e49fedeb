/** Fresh databases for tests and experiments, cloned from the template that holds the baseline schema. */
import pg from 'pg';
import { invalidInput, withDatabase } from '../core/index.ts';
import { TEMPLATE_DATABASE } from './local.ts';
import type { StackState } from './types.ts';

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Moved to core (the platform needs it and must not import the stack); still exported here for the
// stack's callers.
export { withDatabase };

export interface CreatedDatabase {
  name: string;
  /** Direct to Postgres (DDL, COPY, EXPLAIN, HypoPG). */
  url: string;
  /** Through PgBouncer, as the platform's services connect. */
  pgbouncerUrl: string;
  /** Through Toxiproxy's proxy in front of PgBouncer, for fault injection. */
  pgbouncerProxiedUrl: string;
  drop(): Promise<void>;
}

/**
 * Creates (replacing any previous one) a database with the baseline schema and the extensions
 * brink uses (pg_stat_statements, pg_trgm, hypopg). Cloning the template takes tens of milliseconds.
 */
export async function createDatabase(state: StackState, name: string): Promise<CreatedDatabase> {
  if (!NAME.test(name)) throw invalidInput(`database name "${name}" is not valid; expected lower-case letters, digits and _ (max 63)`);
  const admin = new pg.Client({ connectionString: withDatabase(state.urls.postgres, 'postgres') });
  await admin.connect();
  try {
    // PgBouncer may hold server connections to a database of that name from an earlier run.
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(state.urls.postgres, name),
    pgbouncerUrl: withDatabase(state.urls.pgbouncer, name),
    pgbouncerProxiedUrl: withDatabase(state.urls.pgbouncerProxied, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: withDatabase(state.urls.postgres, 'postgres') });
      await c.connect();
      try {
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}
