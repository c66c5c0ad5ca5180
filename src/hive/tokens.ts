import { randomBytes } from 'node:crypto';

/** Random bytes from the CSPRNG, written base64url: 16 bytes (128 bits) make 22 characters (U3, C5). */
function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Session keys and tickets: 256 bits, well above the 128 the profile asks (U3, C5). */
export const newSecret = (): string => randomToken(32);

/**
 * Message and conversation ids. Random rather than counted, so an id never
 * tells how many messages or conversations the Hive holds (F1).
 */
export const newId = (): string => randomToken(16);
