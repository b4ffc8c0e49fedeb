import { invalidInput, BrinkError } from './errors.ts';

/** True for 127.0.0.0/8, ::1 and "localhost": the only places load may go without --allow-remote. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Checks a load target once, where it enters. A load test pointed at production by mistake is an
 * outage, so anything outside loopback needs an explicit allowRemote.
 */
export function checkLoadTarget(target: string, allowRemote: boolean): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw invalidInput(`target "${target}" is not a URL; expected e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw invalidInput(`target "${target}" has protocol "${url.protocol}"; expected http:, https:, ws: or wss:`);
  }
  if (!allowRemote && !isLoopbackHost(url.hostname)) {
    throw new BrinkError('REMOTE_TARGET_REFUSED', `target host "${url.hostname}" is not a loopback address; load goes only to 127.0.0.0/8 or ::1`, {
      suggestion: 'pass --allow-remote if you really mean to load that host',
    });
  }
  return url;
}
