import { describe, expect, it } from 'vitest';
import { takenField } from './routes.ts';
import { sessionUser } from './session.ts';

describe('auth pieces', () => {
  it('names the field a unique violation is about from its constraint', () => {
    expect(takenField('users_email_key')).toBe('email');
    expect(takenField('users_username_key')).toBe('username');
    expect(takenField(undefined)).toBe('username');
  });

  it('answers the user with a numeric id and a camel-case display name', () => {
    expect(sessionUser({ id: '42', username: 'user42', display_name: 'Ada L' })).toEqual({ id: 42, username: 'user42', displayName: 'Ada L' });
  });
});
