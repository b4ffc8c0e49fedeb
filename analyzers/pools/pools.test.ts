import { describe, expect, it } from 'vitest';
import { budgetFindings, poolBudget } from './budget.ts';
import { parseDeployment } from './deployment.ts';
import { demandByService, littlesLawFindings, littlesLawPoolSize, statementDeltas } from './littles-law.ts';

// The Nova audit's table: six services, one replica each, behind PgBouncer (max_db_connections 100).
const NOVA = `
name: nova-staging
pgbouncer: { poolMode: transaction, defaultPoolSize: 50, maxDbConnections: 100, maxClientConn: 1000 }
services:
  - { name: content-service, poolMax: 20, poolTimeoutMs: 10000 }
  - { name: feed-service, poolMax: 10, poolTimeoutMs: 10000 }
  - { name: user-service, poolMax: 10, poolTimeoutMs: 10000 }
  - { name: realtime-chat, poolMax: 10, poolTimeoutMs: 10000 }
  - { name: analytics, poolMax: 20, poolTimeoutMs: 10000 }
  - { name: search, poolMax: 20, poolTimeoutMs: 10000 }
`;

describe('pool budget', () => {
  it("reproduces Nova's table: 90 connections < 100 max_db_connections, margin 10", () => {
    const d = parseDeployment(NOVA, 'nova.yaml');
    const b = poolBudget(d);
    expect(b.rows.map((r) => [r.service, r.total])).toEqual([
      ['content-service', 20], ['feed-service', 10], ['user-service', 10], ['realtime-chat', 10], ['analytics', 20], ['search', 20],
    ]);
    expect(b.total).toBe(90);
    expect([b.limit, b.limitSource, b.margin]).toEqual([100, 'PgBouncer max_db_connections', 10]);
    // 90 < 100 is within budget; the 20-vs-10 sizes are Nova's HIGH "inconsistency".
    expect(budgetFindings(d, b).map((f) => [f.checkId, f.severity])).toEqual([['pool-inconsistent', 'HIGH']]);
  });

  it("flags Nova's own fix, 15 services x 15, as over max_db_connections (transaction mode: queueing, HIGH)", () => {
    const services = Array.from({ length: 15 }, (_, i) => `  - { name: svc${i}, poolMax: 15 }`).join('\n');
    const d = parseDeployment(`pgbouncer: { maxDbConnections: 100 }\nservices:\n${services}`, 'x.yaml');
    const b = poolBudget(d);
    expect(b.total).toBe(225);
    const [f] = budgetFindings(d, b);
    expect([f?.checkId, f?.severity, f?.title]).toEqual(['pool-over-budget', 'HIGH', 'Pools may open 225 connections, over the limit of 100']);
  });

  it('flags a pool per module (MO-1) and a direct deployment over max_connections as CRITICAL', () => {
    const d = parseDeployment('postgres: { maxConnections: 100 }\nservices:\n  - { name: monolith, poolMax: 10, poolsPerReplica: 48 }', 'mono.yaml');
    const found = budgetFindings(d, poolBudget(d));
    expect(found.map((f) => [f.checkId, f.severity])).toEqual([['pool-over-budget', 'CRITICAL'], ['pool-per-module', 'HIGH']]);
    expect(found[0]?.problem).toBe('The services\' pools add up to 480 (monolith 1x48x10=480) against Postgres max_connections 100 - 3 reserved = 97.');
  });

  it('names the bad field of a deployment file', () => {
    expect(() => parseDeployment('services:\n  - { name: a, poolMax: zero }', 'd.yaml')).toThrow(/^d\.yaml: services\.0\.poolMax: /);
    expect(() => parseDeployment('services: [', 'd.yaml')).toThrow(/^d\.yaml is not valid YAML/);
  });
});

describe("Little's law", () => {
  it('sizes a pool from rate x time with a burst factor', () => {
    expect(littlesLawPoolSize({ service: 's', queriesPerSec: 400, meanQueryMs: 25 }, 1)).toBe(20);
    expect(littlesLawPoolSize({ service: 's', queriesPerSec: 400, meanQueryMs: 25 }, 4)).toBe(5);
  });

  it('maps pg_stat_statements deltas to services by query text and flags a pool too small', () => {
    const sql = 'SELECT * FROM posts\nWHERE user_id = $1';
    const deltas = statementDeltas(
      [{ query: 'SELECT * FROM posts WHERE user_id = $1', calls: 100, totalExecMs: 500 }],
      [{ query: 'SELECT * FROM posts WHERE user_id = $1', calls: 12_100, totalExecMs: 300_500 }, { query: 'SELECT 1', calls: 7, totalExecMs: 1 }],
    );
    const { demand, unmatchedCalls } = demandByService(deltas, new Map([[sql, 'content']]), 30_000);
    expect(unmatchedCalls).toBe(7);
    expect(demand).toEqual([{ service: 'content', queriesPerSec: 400, meanQueryMs: 25 }]);
    const [f] = littlesLawFindings([{ service: 'content', replicas: 1, poolsPerReplica: 1, poolMax: 10, via: 'pgbouncer', total: 10 }], demand);
    expect(f?.title).toBe("content pool of 10 is below the 20 Little's law asks for");
  });
});
