/**
 * Who is calling. The gateway verifies the JWT and forwards the caller's id in USER_ID_HEADER; a
 * service still refuses a protected request without it, so a direct call to a service port cannot
 * act as anyone (401), and a caller acting on someone else's resource gets 403.
 */
import type { Request } from 'express';
import { ApiError } from '../../shared/api-errors.ts';
import { USER_ID_HEADER } from '../../shared/context.ts';

/** The caller's user id, or null when the header is absent or not a positive integer. */
export function callerIdOf(req: Pick<Request, 'get'>): number | null {
  const raw = req.get(USER_ID_HEADER);
  if (raw === undefined || !/^[1-9][0-9]{0,15}$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** The caller's user id; 401 when the request does not carry one. */
export function requireCaller(req: Pick<Request, 'get'>): number {
  const id = callerIdOf(req);
  if (id === null) throw new ApiError('UNAUTHENTICATED', `missing or invalid ${USER_ID_HEADER} header: this route needs an authenticated caller`);
  return id;
}

/** 403 unless the caller is the owner of the resource. */
export function requireSelf(callerId: number, ownerId: number, what: string): void {
  if (callerId !== ownerId) throw new ApiError('FORBIDDEN', `user ${callerId} cannot ${what} of user ${ownerId}`);
}
