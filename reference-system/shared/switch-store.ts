/**
 * The live switches of one platform. Every ServiceContext holds the store's one `current` object,
 * which `set` updates in place: a switch flipped on a running stack is seen by the next request
 * without restarting anything.
 */
import { SWITCH_IDS, isSwitchId, type Switches, type SwitchId, type Variant } from '../../core/index.ts';
import { ApiError } from './api-errors.ts';

export interface SwitchStore {
  readonly variant: Variant;
  /** The live object: read it at request time, never copy it at start-up. */
  readonly current: Readonly<Switches>;
  set(changes: Partial<Record<SwitchId, boolean>>): Readonly<Switches>;
  onChange(fn: (changed: Partial<Switches>, all: Readonly<Switches>) => void): () => void;
}

export function createSwitchStore(variant: Variant, initial: Switches): SwitchStore {
  const current = { ...initial };
  const listeners = new Set<(changed: Partial<Switches>, all: Readonly<Switches>) => void>();
  return {
    variant,
    current,
    set(changes) {
      const changed: Partial<Switches> = {};
      for (const [id, on] of Object.entries(changes)) {
        if (!isSwitchId(id)) throw new ApiError('VALIDATION_FAILED', `unknown switch "${id}"; expected one of: ${SWITCH_IDS.join(', ')}`, `switches.${id}`);
        if (current[id] !== on) changed[id] = on as boolean;
        current[id] = on as boolean;
      }
      if (Object.keys(changed).length > 0) for (const fn of listeners) fn(changed, current);
      return current;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
