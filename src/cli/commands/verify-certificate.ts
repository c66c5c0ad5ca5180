import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { verifyCertificate } from '../../reports/certificate-verify.js';
import { EXIT } from '../../runner/verdict.js';

interface VerifyArgs {
  file: string;
  'public-key'?: string;
}

export const verifyCertificateCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify-certificate <file>',
  describe: 'Check a certificate.json offline: its Ed25519 signature and the digests of the files beside it (exit 0 valid, 1 invalid, 3 unreadable)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'the certificate.json' })
      .option('public-key', { type: 'string', describe: "the signer's public key (PEM); without it the key the certificate carries is used" }) as never,
  handler: async (args) => {
    try {
      const key = args['public-key'] === undefined ? undefined : await readFile(args['public-key'], 'utf8');
      const verification = await verifyCertificate(args.file, key);
      if (verification.valid) {
        process.stdout.write(`valid: ${args.file}\n${verification.facts.map((fact) => `  ${fact}\n`).join('')}`);
      } else {
        process.stdout.write(`INVALID: ${args.file}\n${verification.problems.map((problem) => `  ${problem}\n`).join('')}`);
        process.exitCode = 1;
      }
    } catch (error) {
      process.stderr.write(`pame verify-certificate: ${(error as Error).message}\n`);
      process.exitCode = EXIT.NOT_CARRIED_OUT;
    }
  },
};
