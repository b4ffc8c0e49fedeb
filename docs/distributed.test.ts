import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../core/index.ts';

const load = (f: string) => parse(readFileSync(join(PROJECT_ROOT, 'docs', f), 'utf8')) as Record<string, any>;

describe('beyond one machine', () => {
  it('has a k6-operator TestRun that runs an existing scenario script in parallel', () => {
    const tr = load('k8s/testrun-feed.yaml');
    expect(tr.apiVersion).toBe('k6.io/v1alpha1');
    expect(tr.kind).toBe('TestRun');
    expect(tr.spec.parallelism).toBeGreaterThan(1);
    expect(readFileSync(join(PROJECT_ROOT, 'scenarios', 'k6', tr.spec.script.configMap.file), 'utf8')).toContain('export default');
    expect(tr.spec.runner.image).toMatch(/^grafana\/k6:\d/);
  });

  it('has a compose overlay with gateway replicas behind a balancer that upgrades WebSockets', () => {
    const c = load('compose-replicas.yml');
    expect(Object.keys(c.services).sort()).toEqual(['balancer', 'gateway']);
    expect(c.services.balancer.depends_on).toContain('gateway');
    const conf = readFileSync(join(PROJECT_ROOT, 'docs', 'nginx-balancer.conf'), 'utf8');
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade');
    expect(conf).toMatch(/upstream gateways \{[^}]*server gateway:8080;/);
  });
});
