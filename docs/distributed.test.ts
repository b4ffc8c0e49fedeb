import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { PROJECT_ROOT } from '../core/index.ts';
import { brinkJobManifests, k6TestRunManifests, type ManifestOptions } from '../scenarios/segments/k8s.ts';

const load = (f: string) => parse(readFileSync(join(PROJECT_ROOT, 'docs', f), 'utf8')) as Record<string, any>;
const loadAll = (f: string) => parseAllDocuments(readFileSync(join(PROJECT_ROOT, 'docs', f), 'utf8')).map((d) => d.toJS() as Record<string, any>);
const example: ManifestOptions = { scenario: 'feed', k6Script: 'feed.js', profile: 'load', parallelism: 4, runId: 'feed-load-example', target: 'http://gateway.platform.svc:8080', timeScale: 1, planDurationS: 600, image: 'brink:local' };

describe('beyond one machine', () => {
  it('ships the Indexed Job example exactly as `brink k8s manifest` writes it', () => {
    const docs = loadAll('k8s/job-feed.yaml');
    expect(docs).toEqual(brinkJobManifests(example));
    expect(docs.map((d) => d.kind)).toEqual(['PersistentVolumeClaim', 'Job', 'Job']);
  });

  it('ships the k6-operator TestRun example exactly as `brink k8s manifest --k6` writes it, on an existing script', () => {
    const docs = loadAll('k8s/testrun-feed.yaml');
    expect(docs).toEqual(k6TestRunManifests({ ...example, image: 'grafana/k6:1.8.1' }));
    const tr = docs[1]!;
    expect(tr.kind).toBe('TestRun');
    expect(readFileSync(join(PROJECT_ROOT, 'scenarios', 'k6', tr.spec.script.volumeClaim.file), 'utf8')).toContain('export default');
  });

  it('documents every command it names', () => {
    const md = readFileSync(join(PROJECT_ROOT, 'docs', 'distributed.md'), 'utf8');
    for (const cmd of ['brink run feed --profile load --segment 1/3', 'brink merge', 'brink run feed --profile load --instances 2', 'brink k8s manifest feed', '--k6', 'kubectl apply -f']) expect(md).toContain(cmd);
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
