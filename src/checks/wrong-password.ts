import { randomBytes } from 'node:crypto';
import type { TestUser } from './context.js';

/** A password that is not the user's, of the same length, so a wrong log-in sends as many bytes as the right one. */
export function wrongPassword(user: TestUser): string {
  const other = randomBytes(user.pass.length).toString('base64url').slice(0, user.pass.length);
  return other === user.pass ? other.split('').reverse().join('') : other;
}
