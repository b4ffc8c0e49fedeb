/** What the launcher tells its listeners (the CLI prints these; tests ignore them). */
export type StackEvent =
  | { type: 'starting'; component: string }
  | { type: 'ready'; component: string; ms: number; version?: string }
  | { type: 'stopping'; component: string }
  | { type: 'stopped'; component: string; ms: number }
  | { type: 'note'; message: string };

export type StackListener = (e: StackEvent) => void;
export const silent: StackListener = () => undefined;
