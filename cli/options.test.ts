import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BrinkError } from '../core/index.ts';
import { flagOf, parseOptions } from './options.ts';

const schema = z.object({ scale: z.enum(['small', 'medium']), databaseUrl: z.string().url().optional(), seed: z.string().regex(/^\d+$/).optional() });

function errorOf(fn: () => unknown): BrinkError {
  try {
    fn();
  } catch (e) {
    return e as BrinkError;
  }
  throw new Error('expected a throw');
}

describe('parseOptions', () => {
  it('returns the parsed options when they are valid', () => {
    expect(parseOptions(schema, { scale: 'small', seed: '7' })).toEqual({ scale: 'small', seed: '7' });
  });

  it('names the flag in kebab case and the value, as invalid input (exit 104), not a ZodError', () => {
    const e = errorOf(() => parseOptions(schema, { scale: 'small', databaseUrl: 'nope' }));
    expect(e).toBeInstanceOf(BrinkError);
    expect(e.exitCode).toBe(104);
    expect(e.message).toMatch(/^--database-url "nope" is invalid: /);
    expect(e.message).not.toContain('\n');
  });

  it('says what was expected when the command gives it in words', () => {
    const e = errorOf(() => parseOptions(schema, { scale: 'huge' }, { expected: { scale: 'one of: small, medium' } }));
    expect(e.message).toBe('--scale "huge" is not valid; expected one of: small, medium');
  });

  it('uses an explicit flag name and shows a non-string value as JSON', () => {
    expect(flagOf('failOn', { flags: { failOn: '--fail-on' } })).toBe('--fail-on');
    const e = errorOf(() => parseOptions(z.object({ n: z.number() }), { n: [1] }, { flags: { n: '--count' } }));
    expect(e.message).toMatch(/^--count \[1\] is invalid: /);
  });
});
