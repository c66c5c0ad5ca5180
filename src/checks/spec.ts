// A check's declaration without its behaviour, so that CheckContext can know
// which check it serves without importing the Check that takes it.
import type { CheckLevel } from '../generated/schemas.js';
import type { RequestCode } from '../protocol/codes.js';
import type { RuleId } from '../protocol/rules.js';

/** What a check needs from the arrangement; without it the check is skipped with the reason. */
export type Requirement =
  /** The Hive lets the runner register users (Epost_user_register). */
  | 'registration'
  /** The runner's peer server plays the other Hives (countersign). */
  | 'peer'
  /** A second source address to send from (127.0.0.2 on loopback). */
  | 'second-source-address'
  /** The target is served over https. */
  | 'https'
  /** The Hive's idle session expiry is short enough to observe (--session-idle-ms). */
  | 'session-expiry';

/** A check's data: what it verifies, at which level, and what it needs. */
export interface CheckSpec {
  /** Stable id, never positional: PAME-<FAMILY>-<NNN>. */
  readonly id: string;
  readonly title: string;
  /** The profile rule ids the check verifies. */
  readonly rules: readonly RuleId[];
  /** MUST: a failure is nonconformant; SHOULD: a warning; F: a failure is bannable. */
  readonly level: CheckLevel;
  /** The request code the check exercises, or '*' across codes. */
  readonly code: RequestCode | '*';
  readonly needs?: readonly Requirement[];
  /**
   * An audit of what the other checks of its environment did (e.g. the peer
   * server's log): run after all of them have ended, never beside them.
   */
  readonly audit?: true;
  /** Overall budget for the check; defaults to the run's check budget. */
  readonly timeoutMs?: number;
}
