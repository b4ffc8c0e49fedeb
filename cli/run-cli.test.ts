import { describe, expect, it } from 'vitest';
import { flagForPath, oneLine } from './run-cli.ts';

describe('the one-line error rule', () => {
  it('escapes newlines and control characters typed in a value', () => {
    expect(oneLine('--scale "a\nb"')).toBe('--scale "a\\nb"');
    expect(oneLine('x\r\ny')).toBe('x\\ny');
    expect(oneLine('\u001b[31mred')).toBe('\\u001b[31mred');
    expect(oneLine('tab\there')).toBe('tab here');
    expect(oneLine('ünïcødé 😀')).toBe('ünïcødé 😀');
  });
});

describe('naming the flag behind a refused path', () => {
  it('finds --flag value, --flag=value, and a path under the value', () => {
    expect(flagForPath(['assess', '--out', '/tmp/x'], '/tmp/x')).toBe('--out');
    expect(flagForPath(['assess', '--out=/tmp/x'], '/tmp/x/assessment.json')).toBe('--out');
    expect(flagForPath(['report', '/tmp/a', '--out', '/tmp/b'], '/tmp/a')).toBe('argument');
    expect(flagForPath(['run', 'feed'], '/somewhere/else')).toBeUndefined();
  });
});
