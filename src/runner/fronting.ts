import { readFile } from 'node:fs/promises';
import type { Fronting } from '../client/client.js';
import type { RunOptions } from './options.js';

async function pem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** The fronted-Hive options with their files read, for the clients; undefined when the Hive is reached directly. */
export async function loadFronting(options: RunOptions): Promise<Fronting | undefined> {
  const headers = Object.keys(options.headers).length > 0 ? options.headers : undefined;
  if (!headers && !options.ca && !options.clientCert && !options.proxy) return undefined;
  return {
    ...(headers ? { headers } : {}),
    ...(options.ca ? { ca: await pem(options.ca, '--ca') } : {}),
    ...(options.clientCert && options.clientKey ? { cert: await pem(options.clientCert, '--client-cert'), key: await pem(options.clientKey, '--client-key') } : {}),
    ...(options.proxy ? { proxy: options.proxy } : {}),
  };
}
