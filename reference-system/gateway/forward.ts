/**
 * Forwards one request to its downstream through the service's circuit breaker (NF-5) under its
 * deadline (NV-5), then relays the answer with the hop timings (issue 14). A 5xx answer is relayed
 * as it came (the breaker has counted it); no answer at all becomes the mapped ApiError.
 */
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Switches } from '../../core/index.ts';
import type { DownstreamBreaker } from './breakers.ts';
import { mapUpstreamFailure, type UpstreamFailureKind } from './failure-mapping.ts';
import { deadlineMs, forwardRequest, serverTimingHeader, type IncomingCall } from './forwarding.ts';
import { splitHops, type HopRecorder } from './hops.ts';
import { UpstreamError, type ForwardResponse, type UpstreamGroup } from './proxy.ts';
import type { GatewayRoute } from './routes.ts';

export interface ForwarderDeps {
  /** The live switches (read per request). */
  switches: Readonly<Switches>;
  breakers: Record<string, DownstreamBreaker>;
  hops: HopRecorder;
  onFailure(service: string, kind: UpstreamFailureKind): void;
}

/** `firstInstance`: Socket.IO polling stays on the first chat instance, where its session lives. */
export type Forward = (route: Pick<GatewayRoute, 'service'>, group: UpstreamGroup, req: Request, res: Response, firstInstance?: boolean) => Promise<void>;

export function makeForwarder(deps: ForwarderDeps): Forward {
  return async (route, group, req, res, firstInstance = false) => {
    const breaker = deps.breakers[route.service]!;
    // The breaker judges this deadline and has no shorter timer of its own (NV-5: breakers.ts).
    const request = forwardRequest(incomingCall(req, res), deadlineMs(route.service, deps.switches['service-timeouts']), randomUUID);
    const upstream = firstInstance ? group.members[0]! : group.pick();
    const call = () => upstream.forward(request);
    let response: ForwardResponse;
    const sentAt = performance.now();
    try {
      response = deps.switches.breakers ? await breaker.fire(call) : await call();
    } catch (e) {
      if (!(e instanceof UpstreamError)) {
        const failure = mapUpstreamFailure(route.service, e, breaker);
        deps.onFailure(route.service, failure.kind);
        throw failure.error;
      }
      response = e.response;
    }
    const now = performance.now();
    const split = splitHops(now - ((res.locals.startedAt as number | undefined) ?? sentAt), now - sentAt, response.headers['server-timing']);
    deps.hops.record(route.service, split);
    for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
    res.setHeader('Server-Timing', serverTimingHeader(route.service, split));
    res.status(response.status).send(response.body);
  };
}

function incomingCall(req: Request, res: Response): IncomingCall {
  return {
    method: req.method,
    url: req.originalUrl,
    ip: req.ip,
    requestId: req.get('x-request-id'),
    authorization: req.get('authorization'),
    accept: req.get('accept'),
    contentType: req.get('content-type'),
    body: req.body,
    userId: res.locals.userId,
  };
}
