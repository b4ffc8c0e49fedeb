import { describe, expect, it } from 'vitest';
import { errorCodeOf, normaliseBreakerState, parseBreakers } from './gateway.ts';

describe('reading the gateway', () => {
  it("reads breaker states from the gateway's /health/circuit-breakers body", () => {
    const body = { enabled: true, breakers: [{ service: 'users', state: 'open' }, { service: 'posts', state: 'half-open' }, { service: 'auth', state: 'closed' }] };
    expect(parseBreakers(body)).toEqual({ users: 'open', posts: 'half-open', auth: 'closed' });
  });

  it('accepts a map of service to state, and spellings other libraries use', () => {
    expect(parseBreakers({ posts: 'OPEN', users: { state: 'halfOpen' }, search: { opened: false } })).toEqual({ posts: 'open', users: 'half-open', search: 'closed' });
    expect(normaliseBreakerState('HALF_OPEN')).toBe('half-open');
    expect(normaliseBreakerState(42)).toBe('unknown');
  });

  it("takes the platform's error code from an error body, nothing from anything else", () => {
    expect(errorCodeOf('{"error":{"code":"CIRCUIT_OPEN","message":"posts is unavailable"}}')).toBe('CIRCUIT_OPEN');
    expect(errorCodeOf('<html>502</html>')).toBeUndefined();
    expect(errorCodeOf('{"error":"x"}')).toBeUndefined();
  });
});
