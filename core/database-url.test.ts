import { describe, expect, it } from 'vitest';
import { withDatabase } from './index.ts';

describe('withDatabase', () => {
  it('replaces the path with the database and keeps user, host, port and query', () => {
    expect(withDatabase('postgres://postgres@127.0.0.1:6543/brink', 'gw_main')).toBe('postgres://postgres@127.0.0.1:6543/gw_main');
    expect(withDatabase('postgres://u:p@127.0.0.1:5432/brink?sslmode=disable', 'x')).toBe('postgres://u:p@127.0.0.1:5432/x?sslmode=disable');
  });
  it('adds the database to a URL without one', () => {
    expect(withDatabase('postgres://postgres@127.0.0.1:5432', 'brink')).toBe('postgres://postgres@127.0.0.1:5432/brink');
  });
});
