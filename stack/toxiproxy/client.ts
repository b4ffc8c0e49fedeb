/**
 * A thin client for Toxiproxy's HTTP API. toxiproxy-node-client (v4) supplies the wire types, but
 * its Proxy objects drop the toxics list and its errors drop Toxiproxy's message ("toxic already
 * exists"), so the calls are plain fetch here: every failure is one line naming the proxy or toxic,
 * and an unknown proxy lists the valid ones.
 */
import type { ICreateToxicBody } from 'toxiproxy-node-client';
import { BrinkError, unknownName } from '../../core/index.ts';
import { BRINK_TOXIC_PREFIX, fromWire, toWire, type PlacedToxic, type WireToxic } from './toxics.ts';

const REQUEST_TIMEOUT_MS = 5_000;

export interface ToxicView {
  name: string;
  /** In brink's names; null when the toxic's type is one brink does not model. */
  toxic: PlacedToxic | null;
  wire: WireToxic;
}

export interface ProxyView {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: ToxicView[];
}

export class ToxiproxyClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
  }

  async version(): Promise<string> {
    return (await this.#request('GET', '/version', undefined, 'text')) as string;
  }

  async listProxies(): Promise<ProxyView[]> {
    const all = (await this.#request('GET', '/proxies')) as Record<string, WireProxy>;
    return Object.values(all)
      .map(toView)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The proxy, or INVALID_INPUT "unknown proxy "x"; expected one of: …". */
  async getProxy(name: string): Promise<ProxyView> {
    const proxies = await this.listProxies();
    const proxy = proxies.find((p) => p.name === name);
    if (!proxy) throw unknownName('proxy', name, proxies.map((p) => p.name));
    return proxy;
  }

  /** Adds a toxic named `name` (callers use the brink- prefix). */
  async addToxic(proxy: string, name: string, toxic: PlacedToxic): Promise<void> {
    await this.getProxy(proxy);
    const body: ICreateToxicBody<Record<string, number>> = toWire(name, toxic);
    await this.#request('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, body, 'json', `adding toxic "${name}" to proxy "${proxy}"`);
  }

  /** Removes a toxic; a toxic that is already gone is not an error (rollback may run twice). */
  async removeToxic(proxy: string, name: string): Promise<boolean> {
    try {
      await this.#request('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`, undefined, 'none');
      return true;
    } catch (e) {
      if (e instanceof BrinkError && e.details?.status === 404) return false;
      throw e;
    }
  }

  /** Creates a proxy (experiments that need a hop of their own, e.g. in front of the gateway). */
  async createProxy(name: string, listen: string, upstream: string): Promise<ProxyView> {
    const p = (await this.#request('POST', '/proxies', { name, listen, upstream, enabled: true }, 'json', `creating proxy "${name}"`)) as WireProxy;
    return toView(p);
  }

  /** Deletes a proxy; one already gone is not an error. */
  async deleteProxy(name: string): Promise<void> {
    try {
      await this.#request('DELETE', `/proxies/${encodeURIComponent(name)}`, undefined, 'none');
    } catch (e) {
      if (!(e instanceof BrinkError && e.details?.status === 404)) throw e;
    }
  }

  /** Enables or disables a proxy (disabled = every connection refused: the component is "down"). */
  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    await this.getProxy(proxy);
    await this.#request('POST', `/proxies/${encodeURIComponent(proxy)}`, { enabled }, 'json', `${enabled ? 'enabling' : 'disabling'} proxy "${proxy}"`);
  }

  /**
   * Removes every toxic whose name starts with brink- (on one proxy or all), deletes proxies brink
   * created (brink-*), and, when asked, re-enables disabled proxies. Returns what it removed as "proxy/toxic" and "proxy (enabled)".
   */
  async clearBrinkFaults(options: { proxy?: string; reenable?: boolean } = {}): Promise<string[]> {
    const proxies = options.proxy ? [await this.getProxy(options.proxy)] : await this.listProxies();
    const done: string[] = [];
    for (const p of proxies) {
      for (const t of p.toxics) {
        if (t.name.startsWith(BRINK_TOXIC_PREFIX) && (await this.removeToxic(p.name, t.name))) done.push(`${p.name}/${t.name}`);
      }
      if (p.name.startsWith(BRINK_TOXIC_PREFIX)) {
        // A proxy an experiment created for itself (e.g. brink-gateway) and did not get to delete.
        await this.deleteProxy(p.name);
        done.push(`${p.name} (proxy deleted)`);
        continue;
      }
      if (options.reenable && !p.enabled) {
        await this.setEnabled(p.name, true);
        done.push(`${p.name} (enabled)`);
      }
    }
    return done;
  }

  /** Every brink- toxic currently present, as "proxy/toxic" (tests and `clear` use it). */
  async brinkToxics(): Promise<string[]> {
    return (await this.listProxies()).flatMap((p) =>
      p.toxics.filter((t) => t.name.startsWith(BRINK_TOXIC_PREFIX)).map((t) => `${p.name}/${t.name}`),
    );
  }

  async #request(method: string, path: string, body?: unknown, as: 'json' | 'text' | 'none' = 'json', what?: string): Promise<unknown> {
    const action = what ?? `${method} ${path}`;
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      const reason = (e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
      throw new BrinkError('UNREACHABLE', `Toxiproxy is not reachable at ${this.url} (${reason})`, {
        cause: e,
        suggestion: 'start the stack with `brink stack up` or pass --toxiproxy URL',
      });
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        // not JSON: keep the raw text
      }
      throw new BrinkError('INVALID_INPUT', `Toxiproxy refused ${action}: ${message} (HTTP ${res.status})`, {
        details: { status: res.status },
      });
    }
    if (as === 'none') return undefined;
    if (as === 'text') return text.trim();
    return text.length === 0 ? undefined : JSON.parse(text);
  }
}

/** A proxy as GET /proxies returns it. */
interface WireProxy {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
  toxics: WireToxic[] | null;
}

function toView(p: WireProxy): ProxyView {
  return {
    name: p.name,
    listen: p.listen,
    upstream: p.upstream,
    enabled: p.enabled,
    toxics: (p.toxics ?? []).map((wire) => ({ name: wire.name, wire, toxic: fromWire(wire) })),
  };
}
