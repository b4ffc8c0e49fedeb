/**
 * What every router of this folder's services starts with: a JSON body parser with the service
 * server's size limit. The service server (shared/service-server.ts) parses bodies already, which
 * makes this one a no-op there; it is kept so a router mounted in any other express app (a test,
 * a one-process platform) still reads JSON. Parser errors reach the shared error handler, which
 * answers them as 400 / 413 naming `body`.
 */
import express, { Router } from 'express';

export const JSON_BODY_LIMIT = '64kb';

export function serviceRouter(): Router {
  const router = Router();
  router.use(express.json({ limit: JSON_BODY_LIMIT }));
  return router;
}
