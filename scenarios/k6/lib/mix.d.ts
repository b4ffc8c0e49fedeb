// Types of mix.js for the TypeScript side; k6 ignores this file.
import type { SetupData, SeededUser } from '../../types.ts';
export const FEED_MIX: Array<{ action: string; weight: number }>;
export type FeedAction = 'feed' | 'get_user_posts' | 'list_comments' | 'create_post' | 'create_comment';
export function feedAction(r: number): FeedAction;
export function postIdsOf(body: unknown): Array<number | string>;
export function nextCursorOf(body: unknown): string | undefined;
export function profileTarget(data: SetupData, r1: number, r2: number): { id: number; heavy: boolean };
export function searchRequest(data: SetupData, r1: number, r2: number, r3: number): { name: string; path: string; selectivity: 'broad' | 'selective' };
export function chatSlots(data: SetupData): Array<{ conversationId: number; user: SeededUser }>;
export function chatSlotOf(data: SetupData, vu: number, vus: number): { conversationId: number; user: SeededUser; peers: number; spare: boolean };
export function messageBody(vu: number, seq: number): string;
export function isOwnMessage(body: unknown, vu: number): boolean;
export function warmupRequests(scenario: string, data: SetupData): Array<{ path: string; token: string }>;
