import { describe, expect, it } from 'vitest';
import { formatValue, heavyFromDataset } from './params.ts';

const info = { heavyUsers: [{ id: 7, posts: 100_000 }, { id: '9', posts: 10_000 }], heavyConversations: [{ id: 3, messages: 10_000 }] };

describe('heavyFromDataset', () => {
  it('picks the largest or smallest heavy user from dataset_info', () => {
    expect(heavyFromDataset(info, { kind: 'heavy-user', which: 'largest' })).toEqual({ id: '7', size: 100_000, label: 'posts' });
    expect(heavyFromDataset(info, { kind: 'heavy-user', which: 'smallest' })).toEqual({ id: '9', size: 10_000, label: 'posts' });
    expect(heavyFromDataset(info, { kind: 'heavy-conversation', which: 'largest' })).toEqual({ id: '3', size: 10_000, label: 'messages' });
  });
  it('gives nothing without dataset_info, so the collector falls back to the data', () => {
    expect(heavyFromDataset(undefined, { kind: 'heavy-user', which: 'largest' })).toBeUndefined();
    expect(heavyFromDataset({}, { kind: 'heavy-conversation', which: 'largest' })).toBeUndefined();
  });
});

describe('formatValue', () => {
  it('prints dates as ISO and shortens long values', () => {
    expect(formatValue(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z');
    expect(formatValue('x'.repeat(80))).toBe(`${'x'.repeat(57)}...`);
  });
});
