import { it } from 'vitest';
import { readdirSync } from 'node:fs';
import { validateFiles } from '../../src/cli/commands/validate.js';
it('show', async () => {
  const dir = 'fixtures/traffic';
  for (const f of readdirSync(dir).filter((n) => n.startsWith('bad')).sort()) {
    const lines: string[] = [];
    await validateFiles([`${dir}/${f}`], { reportDir: '/tmp/x', reporters: ['console'], all: true }, (l) => lines.push(l));
    console.log(lines.filter((l) => l.startsWith(' ') || l.startsWith('✗') || l.startsWith('!')).join('\n'));
  }
});
