// The probe catalog of PAME-PRIV-001 must probe only codes the profile does not list.
import { describe, expect, it } from 'vitest';
import { isRequestCode, REQUEST_CODES } from '../../src/protocol/codes.js';
import { FORBIDDEN_CODES } from '../../suites/privacy.js';

describe('FORBIDDEN_CODES', () => {
  it('holds no listed request code and no repeat', () => {
    expect(FORBIDDEN_CODES.filter(isRequestCode)).toEqual([]);
    expect(new Set(FORBIDDEN_CODES).size).toBe(FORBIDDEN_CODES.length);
  });

  it('asks for personal details, existence, IPs, counts, search, listings, stats and administration', () => {
    for (const code of ['Epost_user_info', 'Epost_user_exists', 'Epost_user_ip', 'Epost_location', 'Epost_msg_count', 'Epost_unread_count', 'Epost_subscriptions', 'Epost_contact_list_of', 'Epost_user_search', 'Epost_user_list', 'Epost_stats', 'Epost_admin', 'Epost_whois']) {
      expect(FORBIDDEN_CODES).toContain(code);
    }
  });

  it('spells listed codes otherwise: letter case, separators, spaces', () => {
    const listed = new Set(REQUEST_CODES.map((code) => code.toLowerCase().replace(/[^a-z]/g, '')));
    const respelled = FORBIDDEN_CODES.filter((code) => listed.has(code.toLowerCase().replace(/[^a-z]/g, '')));
    expect(respelled).toEqual(expect.arrayContaining(['epost_ping', 'EPOST_PING', 'Epost_ping ', 'Epost-ping', 'Epost_contactlist', 'Epost_Contact_List']));
  });
});
