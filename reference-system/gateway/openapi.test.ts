import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GATEWAY_ROUTES } from './routes.ts';

/** express "/api/users/:id" -> OpenAPI "/api/users/{id}"; "{/*rest}" wildcards are documented by their concrete paths. */
function openapiPath(p: string): string {
  return p.replace(/\{\/\*\w+\}$/, '').replace(/:(\w+)/g, '{$1}');
}

describe('the OpenAPI document', () => {
  const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };

  it('documents every gateway route with its method', () => {
    const missing = GATEWAY_ROUTES.filter((r) => r.method !== 'all')
      .filter((r) => !doc.paths[openapiPath(r.path)]?.[r.method])
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('documents the wildcard routes and the operational endpoints', () => {
    for (const p of ['/api/conversations', '/api/conversations/{id}/messages', '/socket.io/', '/health', '/health/ready', '/health/circuit-breakers', '/metrics', '/admin/switches']) {
      expect(doc.paths[p], p).toBeDefined();
    }
  });
});
