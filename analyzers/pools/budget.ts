/**
 * The pool budget (Nova's "Connection Pool Analysis" table) and its checks, pure over a
 * Deployment: per service replicas x pools x pool max, the total against the limit that applies
 * (PgBouncer's max_db_connections when services go through it, else Postgres's max_connections
 * minus reserved), the margin, and findings for over budget, a thin margin, inconsistent pool
 * sizes, pools per module (MO-1) and client connections above PgBouncer's max_client_conn.
 */
import type { Finding } from '../../core/index.ts';
import type { Deployment } from './deployment.ts';

export interface BudgetRow {
  service: string;
  replicas: number;
  poolsPerReplica: number;
  poolMax: number;
  poolTimeoutMs?: number;
  via: 'pgbouncer' | 'direct';
  /** replicas x pools x poolMax: connections this service may open. */
  total: number;
}

export interface PoolBudget {
  rows: BudgetRow[];
  total: number;
  /** What the total is compared with, and where that number comes from. */
  limit?: number;
  limitSource?: string;
  /** limit - total, and as a share of the limit. */
  margin?: number;
  marginShare?: number;
}

export interface BudgetThresholds {
  /** A margin under this share of the limit is MEDIUM. */
  thinMarginShare: number;
  /** Largest pool / smallest pool at or above this is "inconsistent" (Nova: 20 vs 10). */
  inconsistentRatio: number;
}

export const DEFAULT_BUDGET_THRESHOLDS: BudgetThresholds = { thinMarginShare: 0.1, inconsistentRatio: 2 };

export function poolBudget(d: Deployment): PoolBudget {
  const rows: BudgetRow[] = d.services.map((s) => ({
    service: s.name,
    replicas: s.replicas,
    poolsPerReplica: s.poolsPerReplica,
    poolMax: s.poolMax,
    ...(s.poolTimeoutMs === undefined ? {} : { poolTimeoutMs: s.poolTimeoutMs }),
    via: s.via ?? (d.pgbouncer ? 'pgbouncer' : 'direct'),
    total: s.replicas * s.poolsPerReplica * s.poolMax,
  }));
  const total = rows.reduce((a, r) => a + r.total, 0);
  let limit: number | undefined;
  let limitSource: string | undefined;
  if (d.pgbouncer && d.pgbouncer.maxDbConnections > 0 && rows.every((r) => r.via === 'pgbouncer')) {
    limit = d.pgbouncer.maxDbConnections;
    limitSource = 'PgBouncer max_db_connections';
  } else if (d.postgres) {
    limit = d.postgres.maxConnections - d.postgres.reservedConnections;
    limitSource = `Postgres max_connections ${d.postgres.maxConnections} - ${d.postgres.reservedConnections} reserved`;
  }
  return {
    rows,
    total,
    ...(limit === undefined ? {} : { limit, limitSource, margin: limit - total, marginShare: (limit - total) / limit }),
  };
}

export function budgetFindings(d: Deployment, b: PoolBudget, t: BudgetThresholds = DEFAULT_BUDGET_THRESHOLDS): Finding[] {
  const out: Finding[] = [];
  const loc = d.name;
  const table = b.rows.map((r) => `${r.service} ${r.replicas}x${r.poolsPerReplica}x${r.poolMax}=${r.total}`).join(', ');
  if (b.limit === undefined) {
    out.push({
      checkId: 'pool-budget', severity: 'INFO', title: 'Not applicable: no connection limit to compare with', location: loc,
      problem: 'The deployment describes neither PgBouncer max_db_connections nor Postgres max_connections.',
      impact: `The total of ${b.total} connections cannot be judged.`,
      fix: 'Add postgres.maxConnections (SHOW max_connections) and, if used, the pgbouncer section to the deployment file.',
      explanation: `Pools: ${table}.`,
    });
  } else if (b.total > b.limit) {
    const queueing = d.pgbouncer?.poolMode === 'transaction' && b.limitSource?.startsWith('PgBouncer');
    out.push({
      checkId: 'pool-over-budget', severity: queueing ? 'HIGH' : 'CRITICAL',
      title: `Pools may open ${b.total} connections, over the limit of ${b.limit}`, location: loc,
      problem: `The services' pools add up to ${b.total} (${table}) against ${b.limitSource} = ${b.limit}.`,
      impact: queueing
        ? 'In transaction mode PgBouncer queues the excess transactions: under load requests wait for a server connection, time out and open breakers (Nova\'s failure scenario).'
        : 'Connections past the limit are refused ("too many clients"): requests fail under load.',
      fix: `Shrink the pools so they total at most ${b.limit} (e.g. ${Math.max(1, Math.floor(b.limit / Math.max(1, b.rows.reduce((a, r) => a + r.replicas * r.poolsPerReplica, 0))))} per pool)${queueing ? ", or size them from measured demand (Little's law) and accept queueing in PgBouncer for the rest" : ', or put PgBouncer in transaction mode in front so clients share server connections'}.`,
      explanation: `${b.total} > ${b.limit}.`,
      claimIds: ['NV-6', 'NF-11'],
    });
  } else if ((b.marginShare ?? 1) < t.thinMarginShare) {
    out.push({
      checkId: 'pool-thin-margin', severity: 'MEDIUM', title: `Only ${b.margin} connections of margin (${Math.round((b.marginShare ?? 0) * 100)}%)`, location: loc,
      problem: `Pools total ${b.total} of ${b.limit} (${b.limitSource}).`,
      impact: 'One more replica of any service, a migration or an admin session exceeds the limit.',
      fix: 'Keep at least 10% of the limit free; count replicas during rolling deploys (old and new run together).',
      explanation: `margin ${b.margin} / ${b.limit} < ${t.thinMarginShare}.`,
      claimIds: ['NV-6'],
    });
  }
  const sizes = b.rows.map((r) => r.poolMax);
  const max = Math.max(...sizes);
  const min = Math.min(...sizes);
  if (b.rows.length > 1 && max / min >= t.inconsistentRatio) {
    out.push({
      checkId: 'pool-inconsistent', severity: 'HIGH', title: `Inconsistent pool sizes: ${min} to ${max}`, location: loc,
      problem: `Pool max differs ${max / min}x between services (${b.rows.map((r) => `${r.service} ${r.poolMax}`).join(', ')}).`,
      impact: 'Under shared pressure the larger pools take the server connections; the smaller services queue, time out and open their breakers.',
      fix: 'Size pools from each service\'s measured demand (Little\'s law below) or standardize them (Nova: 15 per service).',
      explanation: `max/min = ${max}/${min} >= ${t.inconsistentRatio}.`,
      claimIds: ['NV-6'],
    });
  }
  for (const r of b.rows.filter((x) => x.poolsPerReplica > 1)) {
    out.push({
      checkId: 'pool-per-module', severity: 'HIGH', title: `${r.service} opens ${r.poolsPerReplica} pools per replica`, location: `${loc}: ${r.service}`,
      problem: `${r.poolsPerReplica} separate pools of ${r.poolMax} in each of ${r.replicas} replica(s): ${r.total} connections where one pool of ${r.poolMax} per replica would do.`,
      impact: 'Each module holds its own idle connections; the total exhausts Postgres long before the load needs it (MO-1: 48+ Prisma clients).',
      fix: 'Create one client/pool per process and share it across modules.',
      explanation: `poolsPerReplica = ${r.poolsPerReplica} > 1.`,
      claimIds: ['MO-1', 'MO-2'],
    });
  }
  const clients = b.rows.filter((r) => r.via === 'pgbouncer').reduce((a, r) => a + r.total, 0);
  if (d.pgbouncer && clients > d.pgbouncer.maxClientConn) {
    out.push({
      checkId: 'pgbouncer-max-client-conn', severity: 'CRITICAL', title: `${clients} client connections over PgBouncer max_client_conn ${d.pgbouncer.maxClientConn}`, location: loc,
      problem: 'PgBouncer refuses client connections beyond max_client_conn.', impact: 'Pools fail to fill; requests fail with connection errors.',
      fix: 'Raise max_client_conn (it is cheap) or shrink the pools.', explanation: `${clients} > ${d.pgbouncer.maxClientConn}.`, claimIds: ['NF-12'],
    });
  }
  if (d.pgbouncer && d.postgres && d.pgbouncer.maxDbConnections > d.postgres.maxConnections - d.postgres.reservedConnections) {
    out.push({
      checkId: 'pgbouncer-over-postgres', severity: 'HIGH', title: 'PgBouncer may open more server connections than Postgres allows', location: loc,
      problem: `max_db_connections ${d.pgbouncer.maxDbConnections} > max_connections ${d.postgres.maxConnections} - ${d.postgres.reservedConnections} reserved.`,
      impact: 'At peak PgBouncer\'s server logins fail and its clients see errors instead of queueing.', fix: 'Set max_db_connections below max_connections minus reserved and admin sessions.',
      explanation: 'PgBouncer is the only gate; it must fit inside Postgres.', claimIds: ['NF-12', 'NV-6'],
    });
  }
  return out;
}
