import type { Exchange } from '../client/exchange.js';
import type { RuleId } from '../protocol/rules.js';
import { validateReply } from '../validator/validate.js';

export interface PrivacyFinding {
  readonly rule: RuleId;
  readonly message: string;
}

// Names that betray what F1 forbids a reply to carry about a user.
const SENSITIVE: readonly [RegExp, string][] = [
  [/count|total|unread|^num|number|^n[A-Z_]/i, 'message numbers'],
  [/(^|_)ip(s|v4|v6|addr|address)?$|^ip[A-Z_]|location|latitude|longitude|^lat$|^lng$|^lon$|geo|city|country|region|coords?$/i, 'IP or location details'],
  [/contact|friend|follow|director/i, 'a contact list'],
  [/subscri|chats?$|channels?$/i, 'chat subscriptions'],
];

/**
 * The privacy scanner: every reply the run receives is read for members outside
 * its schema (F3), replies to codes that do not exist (F2), and members that
 * carry what F1 forbids. It runs on every exchange of every check.
 */
export function scanForPrivacy(exchange: Exchange): PrivacyFinding[] {
  const json = exchange.reply?.json;
  if (exchange.code === undefined || json === null || typeof json !== 'object' || Array.isArray(json)) return [];
  const findings: PrivacyFinding[] = [];
  for (const violation of validateReply(exchange.code, json).violations) {
    if (violation.rule !== 'F3' && violation.rule !== 'F2') continue;
    findings.push({ rule: violation.rule, message: `${exchange.code} reply ${violation.path || '/'}: ${violation.message}` });
    const extra = /'([^']+)'$/.exec(violation.message)?.[1] ?? violation.path.split('/').pop() ?? '';
    for (const [pattern, what] of SENSITIVE) {
      if (pattern.test(extra)) findings.push({ rule: 'F1', message: `${exchange.code} reply member '${extra}' looks like ${what}` });
    }
  }
  return findings;
}
