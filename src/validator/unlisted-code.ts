// E2, F2: the one judgement of a reply to a request code §5 does not list,
// shared by the privacy suite, the fuzz judges and validateReply (so the
// proxy and `pame validate` too; docs/profile-notes.md).
import { excerpt } from '../protocol/excerpt.js';
import { describeReplyCode } from '../protocol/reply-codes.js';

export interface UnlistedCodeFinding {
  readonly rule: 'F2' | 'E2';
  /** What was wrong, to follow "the unlisted code … ". */
  readonly message: string;
  /** JSON pointer into the reply: '/resp', or '' for the whole reply and for a member beside resp. */
  readonly path: '' | '/resp';
  /** A member beside resp, whole (the message quotes only its start). */
  readonly member?: string;
}

/**
 * What a reply to an unlisted request code breaks, F2 first; none when it is
 * exactly {"resp":-1.1}. A JSON object whose resp is no error (not a negative
 * number: resp ≥ 0, a string, none) answered the code: F2, as is each member
 * beside resp. A negative resp other than -1.1, or a reply that is no JSON
 * object, refuses the code wrongly but reveals nothing: E2.
 */
export function unlistedCodeFindings(json: unknown): UnlistedCodeFinding[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return [{ rule: 'E2', path: '', message: 'was answered with no JSON object, not {"resp":-1.1}' }];
  const { resp, ...rest } = json as Record<string, unknown>;
  const isError = typeof resp === 'number' && resp < 0;
  return [
    ...(isError ? [] : [{ rule: 'F2' as const, path: '/resp' as const, message: `was answered ${resp === undefined ? 'without resp' : describeReplyCode(resp)}, which is no error: only the codes of §5 exist` }]),
    ...Object.keys(rest).map((member) => ({ rule: 'F2' as const, path: '' as const, member, message: `was answered with '${excerpt(member)}' beside resp: the reply holds nothing but resp` })),
    ...(isError && resp !== -1.1 ? [{ rule: 'E2' as const, path: '/resp' as const, message: `was answered ${describeReplyCode(resp)}, not -1.1` }] : []),
  ];
}
