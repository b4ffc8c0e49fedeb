import { describe, expect, it } from 'vitest';
import { switchChangeProblem } from './switches-client.ts';

describe('switchChangeProblem', () => {
  const requested = { cache: true, compression: false };

  it('accepts a 200 whose switches match and whose every process applied the change', () => {
    expect(switchChangeProblem(200, { switches: { cache: true, compression: false, pooling: true }, remotes: [{ url: 'http://127.0.0.1:1', ok: true }] }, requested)).toBeUndefined();
  });

  it('refuses a 200 when a service process did not apply it, naming the process', () => {
    expect(switchChangeProblem(200, { switches: { cache: true, compression: false }, remotes: [{ url: 'http://127.0.0.1:1', ok: true }, { url: 'http://127.0.0.1:2', ok: false, error: 'answered 500' }] }, requested))
      .toBe('not applied by http://127.0.0.1:2 (answered 500)');
  });

  it('refuses a 200 that reports other values than asked for', () => {
    expect(switchChangeProblem(200, { switches: { cache: false, compression: false } }, requested)).toBe('the platform reports cache=off');
  });

  it('refuses an error status and an answer without switches', () => {
    expect(switchChangeProblem(400, { error: { message: 'unknown switch "x"' } }, requested)).toBe('HTTP 400 unknown switch "x"');
    expect(switchChangeProblem(200, {}, requested)).toBe('the answer carries no switches');
  });
});
