// T10 (profile §1): over https, TLS 1.2 or later with a certificate valid for the host.
import { defineChecks } from '../../src/checks/check.js';
import { probeTls } from '../../src/client/tls.js';

export const tlsChecks = defineChecks([
  {
    id: 'PAME-WIRE-028',
    title: 'over https, the Hive offers TLS 1.2 or later with a certificate valid for its host',
    rules: ['T10'],
    level: 'SHOULD',
    code: '*',
    needs: ['https'],
    async run(t) {
      const { target, timeoutMs } = t.settings;
      const host = new URL(target).hostname;
      const facts = await probeTls(target, { timeoutMs });
      t.check(facts.error === undefined, 'T10', `no handshake offering TLS 1.2 or later with ${host}: ${facts.error}`);
      t.check(facts.protocol === 'TLSv1.2' || facts.protocol === 'TLSv1.3', 'T10', `the handshake with ${host} negotiated ${facts.protocol ?? 'no protocol'}, not TLS 1.2 or later`);
      t.check(facts.authorized, 'T10', `the certificate ${host} presents is not valid for it: ${facts.authorizationError ?? 'not trusted'}`);
      t.note(`TLS with ${host}: ${facts.protocol}, certificate valid`);
    },
  },
]);
