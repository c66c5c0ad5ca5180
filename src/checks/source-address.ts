import type { CheckContext } from './context.js';

/**
 * The IP the Hive sees this runner's default connection come from, when the
 * target is a loopback address literal (then it is that address); undefined
 * otherwise, as proxies and NAT may stand between.
 */
export function loopbackSource(t: CheckContext): string | undefined {
  const host = new URL(t.settings.target).hostname.replace(/^\[|\]$/g, '');
  return host === '127.0.0.1' || host === '::1' ? host : undefined;
}
