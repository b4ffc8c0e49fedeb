/**
 * The gateway's route table: which downstream service owns each public route, whether it needs a
 * verified JWT, which rate rule applies and how its body is validated. Order matters: the first
 * route whose method and path match wins (express registration order).
 */
import { z } from 'zod';
import { loginBody, refreshBody, registerBody } from '../services/auth/schemas.ts';
import type { RateRuleId } from './rate-limit.ts';

export const DOWNSTREAMS = ['auth', 'users', 'posts', 'comments', 'search', 'chat'] as const;
export type DownstreamId = (typeof DOWNSTREAMS)[number];

export interface GatewayRoute {
  method: 'get' | 'post' | 'patch' | 'delete' | 'put' | 'all';
  /** express 5 path pattern; also the `route` label of the request duration histogram. */
  path: string;
  service: DownstreamId;
  auth: boolean;
  rateLimit?: RateRuleId;
  body?: z.ZodType;
}

/** Shapes the gateway can check without knowing a service's internals; services check the rest. */
const postBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(5_000, 'must be at most 5000 characters') }).loose();
const commentBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(2_000, 'must be at most 2000 characters') }).loose();
const profilePatch = z
  .object({ displayName: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(), bio: z.string().max(500, 'must be at most 500 characters').optional() })
  .loose();

export const GATEWAY_ROUTES: readonly GatewayRoute[] = [
  { method: 'post', path: '/api/auth/register', service: 'auth', auth: false, rateLimit: 'register', body: registerBody },
  { method: 'post', path: '/api/auth/login', service: 'auth', auth: false, rateLimit: 'login', body: loginBody },
  { method: 'post', path: '/api/auth/refresh', service: 'auth', auth: false, body: refreshBody },
  { method: 'post', path: '/api/auth/logout', service: 'auth', auth: false, body: refreshBody },
  { method: 'get', path: '/api/users/:id/posts', service: 'users', auth: true },
  { method: 'get', path: '/api/users/:id', service: 'users', auth: true },
  { method: 'patch', path: '/api/users/:id', service: 'users', auth: true, body: profilePatch },
  { method: 'post', path: '/api/users/:id/follow', service: 'users', auth: true },
  { method: 'delete', path: '/api/users/:id/follow', service: 'users', auth: true },
  { method: 'get', path: '/api/feed', service: 'posts', auth: true },
  { method: 'post', path: '/api/posts', service: 'posts', auth: true, rateLimit: 'create-post', body: postBody },
  { method: 'get', path: '/api/posts/trending', service: 'posts', auth: true },
  { method: 'delete', path: '/api/posts/:id', service: 'posts', auth: true },
  { method: 'get', path: '/api/posts/:id/comments', service: 'comments', auth: true },
  { method: 'post', path: '/api/posts/:id/comments', service: 'comments', auth: true, rateLimit: 'create-comment', body: commentBody },
  { method: 'get', path: '/api/search/posts', service: 'search', auth: true },
  { method: 'get', path: '/api/search/users', service: 'search', auth: true },
  { method: 'all', path: '/api/conversations{/*rest}', service: 'chat', auth: true },
];
