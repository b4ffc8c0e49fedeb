/**
 * How a platform stops: every part registers its stop as it starts, and the parts stop in the
 * reverse order, each once (a service stopped alone by a test is not stopped again at the end).
 * A failed stop is reported and the others still run, so one stuck part cannot leak the rest.
 */
export interface Stopper {
  id: string;
  stop: () => Promise<void>;
}

export interface Stoppers {
  /** Stopped before everything registered earlier. */
  add(id: string, stop: () => Promise<void>): void;
  /** Stopped after everything else (a hop outlives the gateway and the service on either side of it). */
  addLast(id: string, stop: () => Promise<void>): void;
  /** Stops one part by id; throws naming the known ids when there is none. */
  stopOne(id: string): Promise<void>;
  stopAll(): Promise<void>;
}

export function createStoppers(onFailure: (e: unknown, id: string) => void): Stoppers {
  const list: Stopper[] = [];
  const stopped = new Set<string>();
  return {
    add: (id, stop) => void list.push({ id, stop }),
    addLast: (id, stop) => void list.unshift({ id, stop }),
    async stopOne(id) {
      const s = list.find((x) => x.id === id);
      if (!s) throw new Error(`no service "${id}" on this platform; expected one of: ${list.map((x) => x.id).join(', ')}`);
      if (stopped.has(id)) return;
      stopped.add(id);
      await s.stop();
    },
    async stopAll() {
      for (const s of [...list].reverse()) {
        if (stopped.has(s.id)) continue;
        stopped.add(s.id);
        await s.stop().catch((e) => onFailure(e, s.id));
      }
    },
  };
}
