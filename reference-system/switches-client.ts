/**
 * The one client of a running platform's PUT /admin/switches. The gateway answers 200 once its own
 * process took the change, and lists the service processes it forwarded it to with whether each
 * applied it; a caller that trusted the 200 alone would measure a platform half in the old state.
 * So this client fails unless every process applied the change and the platform reports exactly
 * the values asked for.
 */
import { BrinkError, type Switches } from '../core/index.ts';

export interface SwitchesAnswer {
  switches?: Partial<Switches>;
  remotes?: { url: string; ok: boolean; error?: string }[];
  error?: { message?: string };
}

/** Why an answer does not show the change applied everywhere, or undefined when it does. */
export function switchChangeProblem(status: number, body: SwitchesAnswer, requested: Partial<Switches>): string | undefined {
  if (status < 200 || status >= 300) return `HTTP ${status}${body.error?.message ? ` ${body.error.message}` : ''}`;
  if (!body.switches) return 'the answer carries no switches';
  const failed = (body.remotes ?? []).filter((r) => !r.ok);
  if (failed.length > 0) return `not applied by ${failed.map((r) => `${r.url} (${r.error ?? 'failed'})`).join(', ')}`;
  const wrong = Object.entries(requested).filter(([id, on]) => body.switches![id as keyof Switches] !== on);
  if (wrong.length > 0) return `the platform reports ${wrong.map(([id]) => `${id}=${body.switches![id as keyof Switches] ? 'on' : 'off'}`).join(', ')}`;
  return undefined;
}

/** Flips switches on the platform behind `gatewayUrl`; resolves to every switch's value after. */
export async function putSwitches(gatewayUrl: string, requested: Partial<Switches>, opts: { timeoutMs?: number } = {}): Promise<Switches> {
  // Index switches build indexes on the whole dataset: minutes on medium data.
  const res = await fetch(`${gatewayUrl}/admin/switches`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ switches: requested }),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 600_000),
  });
  const body = (await res.json().catch(() => ({}))) as SwitchesAnswer;
  const problem = switchChangeProblem(res.status, body, requested);
  if (problem) throw new BrinkError('UNEXPECTED', `the platform did not apply switches ${JSON.stringify(requested)}: ${problem}`);
  return body.switches as Switches;
}
