// E2, F2: the one judgement of a reply to a request code §5 does not list,
// shared by the privacy suite and the fuzz judges (docs/profile-notes.md).
import { describeReplyCode } from '../protocol/reply-codes.js';

export interface UnlistedCodeFinding {
  readonly rule: 'F2' | 'E2';
  /** What was wrong, to follow "the unlisted code … ". */
  readonly message: string;
}

/**
 * What a reply to an unlisted request code breaks, F2 first; none when it is
 * exactly {"resp":-1.1}. A JSON object whose resp is no error (not a negative
 * number: resp ≥ 0, a string, none) answered the code: F2, as is any member
 * beside resp. A negative resp other than -1.1, or a reply that is no JSON
 * object, refuses the code wrongly but reveals nothing: E2.
 */
export function unlistedCodeFindings(json: unknown): UnlistedCodeFinding[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return [{ rule: 'E2', message: 'was answered with no JSON object, not {"resp":-1.1}' }];
  const { resp, ...rest } = json as Record<string, unknown>;
  const extra = Object.keys(rest);
  const isError = typeof resp === 'number' && resp < 0;
  return [
    ...(isError ? [] : [{ rule: 'F2' as const, message: `was answered ${resp === undefined ? 'without resp' : describeReplyCode(resp)}, which is no error: only the codes of §5 exist` }]),
    ...(extra.length > 0 ? [{ rule: 'F2' as const, message: `was answered with ${extra.map((name) => `'${name}'`).join(', ')} beside resp: the reply holds nothing but resp` }] : []),
    ...(isError && resp !== -1.1 ? [{ rule: 'E2' as const, message: `was answered ${describeReplyCode(resp)}, not -1.1` }] : []),
  ];
}
