import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../core/index.ts';
import { IMAGES } from './images.ts';
import { INFRA_PROXIES } from '../stack/types.ts';

interface Service {
  image?: string;
  build?: string;
  ports?: string[];
  healthcheck?: { test: string[] | string };
  environment?: Record<string, string>;
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  profiles?: string[];
}
const compose = parse(readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const dockerfile = readFileSync(join(PROJECT_ROOT, 'docker', 'postgres', 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('has every service the stack needs', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['pgbouncer', 'postgres', 'rabbitmq', 'redis', 'toxiproxy']);
  });

  it('pins the same images as the docker provider', () => {
    for (const name of ['pgbouncer', 'redis', 'rabbitmq', 'toxiproxy'] as const) {
      expect(compose.services[name]?.image, name).toBe(IMAGES[name]);
      expect(IMAGES[name]).toMatch(/:[0-9v][\w.-]*$/);
    }
    expect(dockerfile).toContain(`FROM ${IMAGES.postgres}`);
    expect(dockerfile).toContain('postgresql-15-hypopg');
  });

  it('publishes ports on loopback only and has a healthcheck and limits on every server', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.ports?.length, name).toBeGreaterThan(0);
      for (const p of svc.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:/);
      expect(svc.healthcheck?.test, name).toBeTruthy();
      expect(svc.deploy?.resources?.limits?.memory, name).toMatch(/^\d+[MG]$/);
    }
  });

  it('configures PgBouncer like the NewFeed assessment', () => {
    expect(compose.services.pgbouncer?.environment).toMatchObject({ POOL_MODE: 'transaction', MAX_CLIENT_CONN: '1000', DEFAULT_POOL_SIZE: '25', MAX_DB_CONNECTIONS: '100' });
  });

  it('declares a Toxiproxy proxy for each infrastructure component', () => {
    const proxies = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docker', 'toxiproxy.json'), 'utf8')) as { name: string }[];
    expect(proxies.map((p) => p.name).sort()).toEqual([...INFRA_PROXIES].sort());
  });
});
