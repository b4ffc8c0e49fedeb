/**
 * GET and PUT /admin/switches (loopback only): the live switches, and flipping them on the running
 * platform (admin.ts: index DDL first, then this store, then the services in other processes).
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { loopbackOnly } from '../shared/http.ts';
import type { SwitchStore } from '../shared/switch-store.ts';
import { parseOr400 } from '../shared/validate.ts';
import { changeSwitches, switchesBody } from './admin.ts';

export interface AdminRoutesDeps {
  store: SwitchStore;
  log: Logger;
  adminDatabaseUrl?: string;
  remoteSwitchUrls?: readonly string[];
}

export function mountAdminRoutes(app: Express, d: AdminRoutesDeps): void {
  app.get('/admin/switches', loopbackOnly, (_req, res) => {
    res.json({ variant: d.store.variant, switches: d.store.current });
  });
  app.put('/admin/switches', loopbackOnly, express.json({ limit: '16kb' }), async (req, res) => {
    const { switches } = parseOr400(switchesBody, req.body, 'body');
    const result = await changeSwitches(d.store, switches, { adminDatabaseUrl: d.adminDatabaseUrl, remoteUrls: d.remoteSwitchUrls });
    d.log.info({ changed: result.changed, remotes: result.remotes }, 'switches changed');
    res.json(result);
  });
}
