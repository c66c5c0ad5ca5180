import { readSchemaFile } from '../paths.js';

interface AddressSchema { pattern: string; $defs: { input: { pattern: string } } }
const schema = readSchemaFile<AddressSchema>('common/address.json');
// The schemas own the address grammar; the code only applies it.
const FULL = new RegExp(schema.pattern, 'u');
const INPUT = new RegExp(schema.$defs.input.pattern, 'u');

/** The reserved system identity (A3). */
export const SYSTEM_USER = 'psychocat';

export interface Address {
  readonly user: string;
  readonly domain: string;
  /** user::domain, lower-case (A1). */
  readonly full: string;
}

/**
 * Reads an address as a request may write it (any letter case, domain optional)
 * and returns it normalised, or null when it is malformed (A1, A2).
 */
export function parseAddress(text: unknown, homeDomain: string): Address | null {
  if (typeof text !== 'string' || !INPUT.test(text)) return null;
  const lower = text.toLowerCase();
  const at = lower.indexOf('::');
  const user = at < 0 ? lower : lower.slice(0, at);
  const domain = at < 0 ? homeDomain.toLowerCase() : lower.slice(at + 2);
  return { user, domain, full: `${user}::${domain}` };
}

/** True for an address written in full and lower-case, as replies must write it (A1). */
export function isFullAddress(text: unknown): text is string {
  return typeof text === 'string' && FULL.test(text);
}

export function systemAddress(domain: string): string {
  return `${SYSTEM_USER}::${domain}`;
}

export function domainOf(full: string): string {
  return full.slice(full.indexOf('::') + 2);
}
