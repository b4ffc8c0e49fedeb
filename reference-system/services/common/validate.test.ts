import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api-errors.ts';
import { idParams, limitSchema, parseInput } from './validate.ts';
import { callerIdOf, requireCaller, requireSelf } from './caller.ts';
import { profilePatchSchema } from '../users/schemas.ts';
import { createPostSchema } from '../posts/schemas.ts';
import { createCommentSchema } from '../comments/schemas.ts';
import { searchQuerySchema } from '../search/schemas.ts';

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

describe('request validation', () => {
  it('parses path ids and refuses anything but a positive integer, naming id', () => {
    expect(parseInput(idParams, { id: '42' }, 'params')).toEqual({ id: 42 });
    for (const id of ['0', '-1', 'abc', '1.5', '99999999999999999', '']) {
      const err = failure(() => parseInput(idParams, { id }, 'params'));
      expect(err.status).toBe(400);
      expect(err.field).toBe('id');
    }
  });

  it('defaults limit to 20, caps it at the maximum page size, and refuses 0 and words', () => {
    const s = limitSchema(50);
    expect(s.parse(undefined)).toBe(20);
    expect(s.parse('7')).toBe(7);
    expect(s.parse('1000')).toBe(50);
    expect(limitSchema(10).parse(undefined)).toBe(10);
    expect(s.safeParse('0').success).toBe(false);
    expect(s.safeParse('ten').success).toBe(false);
  });

  it('accepts a post body of 1..5000 characters and names body otherwise', () => {
    expect(parseInput(createPostSchema, { body: 'hi' }, 'body')).toEqual({ body: 'hi' });
    expect(parseInput(createPostSchema, { body: 'x'.repeat(5000) }, 'body').body).toHaveLength(5000);
    const tooLong = failure(() => parseInput(createPostSchema, { body: 'x'.repeat(5001) }, 'body'));
    expect(tooLong.field).toBe('body');
    expect(tooLong.message).toBe('body.body: must be at most 5000 characters');
    expect(failure(() => parseInput(createPostSchema, { body: '   ' }, 'body')).message).toBe('body.body: must not be empty');
    expect(failure(() => parseInput(createPostSchema, {}, 'body')).field).toBe('body');
    expect(failure(() => parseInput(createPostSchema, undefined, 'body')).field).toBe('body');
  });

  it('names an unknown body field rather than ignoring it', () => {
    const err = failure(() => parseInput(createPostSchema, { body: 'ok', userId: 3 }, 'body'));
    expect(err.field).toBe('userId');
  });

  it('needs at least one profile field and bounds each', () => {
    expect(parseInput(profilePatchSchema, { bio: '' }, 'body')).toEqual({ bio: '' });
    expect(parseInput(profilePatchSchema, { displayName: ' Ada ' }, 'body')).toEqual({ displayName: 'Ada' });
    expect(failure(() => parseInput(profilePatchSchema, {}, 'body')).field).toBe('displayName');
    expect(failure(() => parseInput(profilePatchSchema, { bio: 'x'.repeat(501) }, 'body')).field).toBe('bio');
    expect(failure(() => parseInput(profilePatchSchema, { username: 'root' }, 'body')).field).toBe('username');
  });

  it('bounds comment bodies', () => {
    expect(failure(() => parseInput(createCommentSchema, { body: 'x'.repeat(2001) }, 'body')).field).toBe('body');
    expect(parseInput(createCommentSchema, { body: 'nice' }, 'body')).toEqual({ body: 'nice' });
  });

  it('requires q of 1..200 characters for search, naming q', () => {
    const s = searchQuerySchema(50);
    expect(parseInput(s, { q: ' rust ' }, 'query')).toEqual({ q: 'rust', limit: 20 });
    expect(failure(() => parseInput(s, {}, 'query')).message).toBe('query.q: is required');
    expect(failure(() => parseInput(s, { q: '  ' }, 'query')).field).toBe('q');
    expect(failure(() => parseInput(s, { q: 'x'.repeat(201) }, 'query')).message).toBe('query.q: must be at most 200 characters');
    expect(failure(() => parseInput(s, { q: ['a', 'b'] }, 'query')).field).toBe('q');
  });
});

describe('the caller header', () => {
  const req = (v?: string) => ({ get: (name: string) => (name === 'x-user-id' ? v : undefined) }) as never;

  it('reads a positive integer user id and nothing else', () => {
    expect(callerIdOf(req('17'))).toBe(17);
    for (const v of [undefined, '', '0', '-3', '1e3', '17abc', ' 17']) expect(callerIdOf(req(v))).toBeNull();
  });

  it('answers 401 without it and 403 when acting on someone else', () => {
    const e401 = failure(() => requireCaller(req(undefined)));
    expect(e401.status).toBe(401);
    expect(e401.message).toBe('missing or invalid x-user-id header: this route needs an authenticated caller');
    const e403 = failure(() => requireSelf(1, 2, 'edit the profile'));
    expect(e403.status).toBe(403);
    expect(e403.message).toBe('user 1 cannot edit the profile of user 2');
    expect(() => requireSelf(2, 2, 'edit the profile')).not.toThrow();
  });
});
