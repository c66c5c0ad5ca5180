// Accounts (profile §3: Q2, Q3): registration by GET and by POST, names written
// in full or bare, which passwords a Hive must take or refuse (T11 counts code points).
import { randomBytes } from 'node:crypto';
import { wrongPassword } from '../src/checks/wrong-password.js';
import { defineSuite } from '../src/checks/check.js';
import type { CheckContext, TestUser } from '../src/checks/context.js';
import { RESP } from '../src/protocol/reply-codes.js';
import { closeKeys, register } from '../src/checks/account-steps.js';

/** A random password of exactly `chars` ASCII characters. */
function asciiPassword(chars: number): string {
  return randomBytes(Math.ceil((chars * 3) / 4) + 3).toString('base64url').slice(0, chars);
}

/** A password of `chars` characters outside the BMP: each is one code point but two UTF-16 units (T11 counts code points). */
function astralPassword(chars: number): string {
  return Array.from({ length: chars }, (_, i) => String.fromCodePoint(0x1f600 + (i % 64))).join('');
}

/** A name nobody registered, as a fresh user of the Hive under test. */
function freshUser(t: CheckContext, pass = asciiPassword(16)): TestUser {
  const name = t.uniqueName('reg');
  return { name, pass, address: t.address(name) };
}

/** Registers with a password the Hive must take, then proves the password opens a session. */
async function expectPasswordTaken(t: CheckContext, pass: string, what: string): Promise<void> {
  const user = freshUser(t, pass);
  t.expectResp(await register(t, user.address, pass), RESP.OK, 'Q2', `registering with ${what}`);
  const opened = await t.call('Epost_session_open', { iam: user.address, pass });
  const { session } = t.expectOk(opened, 'Q2', `logging in with ${what}, which the Hive took`);
  await closeKeys(t, [{ user, key: session }]);
}

async function expectPasswordRefused(t: CheckContext, pass: unknown, what: string): Promise<void> {
  t.expectResp(await register(t, freshUser(t).address, pass), RESP.BAD_REQUEST, 'Q2', `registering with ${what}`);
}

export const accountsSuite = defineSuite('accounts', 'Accounts (Q2, Q3)', [
  {
    id: 'PAME-REG-001',
    title: 'Epost_user_register takes a new name, written in full or bare, by GET and by POST, and its password opens a session',
    rules: ['Q2', 'A2', 'Q3'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      // In this order, each refusal names the rule that makes it wrong: registering at all, a bare name, GET.
      for (const [method, bare, rule] of [['POST', false, 'Q2'], ['POST', true, 'A2'], ['GET', false, 'T3']] as const) {
        const user = freshUser(t);
        const exchange = await register(t, bare ? user.name : user.address, user.pass, { method });
        t.expectResp(exchange, RESP.OK, rule, `registering ${bare ? 'a bare name' : 'a full address'} by ${method}`);
        await t.login(user);
      }
    },
  },
  {
    id: 'PAME-REG-002',
    title: 'Epost_user_register of a taken name gets -1.304 and leaves the account as it was',
    rules: ['Q2'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      const user = await t.user();
      const other = wrongPassword(user);
      t.expectResp(await register(t, user.address, other), RESP.USER_EXISTS, 'Q2', 'registering a name that is taken');
      t.expectResp(await t.call('Epost_session_open', { iam: user.address, pass: other }), RESP.WRONG_LOGIN, 'Q2', 'the refused registration must not have changed the password');
      await t.login(user);
    },
  },
  {
    id: 'PAME-REG-003',
    title: 'user names are case-insensitive: registering a taken name in upper case gets -1.304, and logging in in upper case opens the same account',
    rules: ['A1', 'Q2'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      const user = await t.user();
      const upper = { ...user, address: t.address(user.name.toUpperCase()) };
      t.expectResp(await register(t, upper.address, wrongPassword(user)), RESP.USER_EXISTS, 'A1', `registering ${upper.address}, the taken ${user.address} in upper case`);
      const opened = await t.call('Epost_session_open', { iam: upper.address, pass: user.pass });
      const { session } = t.expectOk(opened, 'A1', `logging in as ${upper.address} with ${user.address}'s password`);
      t.expectResp(await t.call('Epost_session_close', { iam: user.address }, { session }), RESP.OK, 'A1', `closing, as ${user.address}, the session opened as ${upper.address}`);
    },
  },
  {
    id: 'PAME-REG-004',
    title: 'a password is a string of 8 to 256 characters: shorter, longer, empty, missing or not a string gets -1.1',
    rules: ['Q2'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      await expectPasswordTaken(t, asciiPassword(8), 'a password of 8 characters');
      await expectPasswordTaken(t, asciiPassword(256), 'a password of 256 characters');
      const refused: [unknown, string][] = [
        [asciiPassword(7), 'a password of 7 characters'],
        [asciiPassword(257), 'a password of 257 characters'],
        ['', 'an empty password'],
        [undefined, 'no password'],
        [12345678, 'a password that is a number'],
        [null, 'a password that is null'],
        [[asciiPassword(8)], 'a password inside an array'],
      ];
      await Promise.all(refused.map(([pass, what]) => expectPasswordRefused(t, pass, what)));
    },
  },
  {
    id: 'PAME-REG-005',
    title: 'password length counts code points: 8 and 256 characters outside the BMP are taken, 7 and 257 refused; combining marks count as characters',
    rules: ['Q2', 'T11'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      await expectPasswordTaken(t, astralPassword(8), '8 emoji (16 UTF-16 units)');
      await expectPasswordTaken(t, astralPassword(256), '256 emoji (512 UTF-16 units)');
      await expectPasswordTaken(t, 'e\u0301'.repeat(4), "8 code points that show as 4 letters with accents");
      await expectPasswordRefused(t, astralPassword(7), '7 emoji (14 UTF-16 units)');
      await expectPasswordRefused(t, astralPassword(257), '257 emoji');
    },
  },
  {
    id: 'PAME-REG-006',
    title: 'Epost_user_register with iam of another domain gets -1.1 and creates no local account',
    rules: ['Q2'],
    level: 'MUST',
    code: 'Epost_user_register',
    needs: ['registration'],
    async run(t) {
      for (const domain of ['alpha.pame.test', 'elsewhere.example'].filter((d) => d !== t.domain)) {
        const user = freshUser(t);
        t.expectResp(await register(t, `${user.name}::${domain}`, user.pass), RESP.BAD_REQUEST, 'Q2', `registering ${user.name}::${domain}, a user of another domain`);
        t.expectResp(await t.call('Epost_session_open', { iam: user.address, pass: user.pass }), RESP.WRONG_LOGIN, 'Q2', `a registration for ${domain} must not make a local user ${user.address}`);
      }
    },
  },
]);
