/**
 * Password hashing with argon2id (memory-hard). The parameters cost about 100 ms per hash on this
 * machine (measured: 64 MiB, 2 passes, 1 lane = 102 ms hash, 104 ms verify), the cost NV-8 talks
 * about. With `hash-off-loop` on the work runs on libuv's thread pool (async hash/verify); off, it
 * runs ON the event loop (hashSync/verifySync) and every other request on the process waits.
 */
import { Algorithm, hash, hashSync, verify, verifySync, type Options } from '@node-rs/argon2';

export const ARGON2_OPTIONS: Options = { algorithm: Algorithm.Argon2id, memoryCost: 65_536, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string, offLoop: boolean): Promise<string> {
  return offLoop ? hash(password, ARGON2_OPTIONS) : hashSync(password, ARGON2_OPTIONS);
}

export async function verifyPassword(encoded: string, password: string, offLoop: boolean): Promise<boolean> {
  try {
    return offLoop ? await verify(encoded, password) : verifySync(encoded, password);
  } catch {
    // A malformed stored hash is a failed login, not a 500.
    return false;
  }
}

let dummy: string | undefined;
/**
 * A hash to verify against when the user does not exist, so "no such user" takes as long as
 * "wrong password" and login timing does not reveal which usernames exist.
 */
export function dummyHash(): string {
  dummy ??= hashSync('brink-no-such-user', ARGON2_OPTIONS);
  return dummy;
}
