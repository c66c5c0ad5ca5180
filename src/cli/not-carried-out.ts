import { EXIT } from '../runner/verdict.js';

/** Ends a command that could not do its work: `pame <command>: <reason>` on stderr and exit 3 (not carried out). */
export function notCarriedOut(command: string, reason: string): void {
  process.stderr.write(`pame ${command}: ${reason}\n`);
  process.exitCode = EXIT.NOT_CARRIED_OUT;
}
