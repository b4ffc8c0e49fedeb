/**
 * A deployment's database connection layout: services x replicas x pools x pool max, PgBouncer's
 * settings and Postgres's max_connections. Read from a YAML file for a user's system (validated
 * once here with zod) or built from the reference stack.
 *
 *   name: nova-staging
 *   postgres: { maxConnections: 100, reservedConnections: 3 }
 *   pgbouncer: { poolMode: transaction, defaultPoolSize: 50, maxDbConnections: 100, maxClientConn: 1000 }
 *   services:
 *     - { name: content-service, replicas: 1, poolMax: 20, poolTimeoutMs: 10000 }
 *     - { name: monolith, poolMax: 20, poolsPerReplica: 48 }   # MO-1: one client per module
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { invalidInput } from '../../core/index.ts';

export const ServicePoolSchema = z.object({
  name: z.string().min(1),
  replicas: z.number().int().positive().default(1),
  poolMax: z.number().int().positive(),
  /** Separate pools in one replica (one per module or per client object: MO-1). */
  poolsPerReplica: z.number().int().positive().default(1),
  poolTimeoutMs: z.number().int().nonnegative().optional(),
  /** Where its connections go: through PgBouncer (default when pgbouncer is described) or straight to Postgres. */
  via: z.enum(['pgbouncer', 'direct']).optional(),
});

export const DeploymentSchema = z.object({
  name: z.string().default('deployment'),
  postgres: z.object({
    maxConnections: z.number().int().positive(),
    /** superuser_reserved_connections (default 3): not available to applications. */
    reservedConnections: z.number().int().nonnegative().default(3),
  }).optional(),
  pgbouncer: z.object({
    poolMode: z.enum(['session', 'transaction', 'statement']).default('transaction'),
    defaultPoolSize: z.number().int().positive().default(20),
    maxDbConnections: z.number().int().nonnegative().default(0),
    maxClientConn: z.number().int().positive().default(100),
  }).optional(),
  services: z.array(ServicePoolSchema).min(1),
});

export type ServicePool = z.infer<typeof ServicePoolSchema>;
export type Deployment = z.infer<typeof DeploymentSchema>;

export function parseDeployment(text: string, source: string): Deployment {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw invalidInput(`${source} is not valid YAML: ${(e as Error).message}`);
  }
  const r = DeploymentSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw invalidInput(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'see analyzers/pools/deployment.ts for the format');
  }
  return r.data;
}
