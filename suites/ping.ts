import { defineChecks } from '../src/checks/check.js';
import { PROTOCOL_VERSION } from '../src/protocol/codes.js';

export const pingChecks = defineChecks([
  {
    id: 'PAME-PING-001',
    title: 'Epost_ping answers resp 1 with the Hive domain and version 0.2.1, by GET and by POST',
    rules: ['Q1', 'T3'],
    level: 'MUST',
    code: 'Epost_ping',
    async run(t) {
      for (const method of ['GET', 'POST'] as const) {
        const exchange = await t.call('Epost_ping', { iam: t.address(t.uniqueName('p')) }, { method });
        const reply = t.expectOk(exchange, method === 'GET' ? 'T3' : 'Q1');
        t.check(reply.version === PROTOCOL_VERSION, 'Q1', `version is ${JSON.stringify(reply.version)}, not ${PROTOCOL_VERSION}`, exchange);
        if (t.domain) t.check(reply.hive === t.domain, 'Q1', `hive is ${JSON.stringify(reply.hive)}, not the Hive's domain ${t.domain}`, exchange);
      }
    },
  },
]);
