import { parseAddress, type Address } from '../protocol/address.js';
import { RESP } from '../protocol/reply-codes.js';
import { isValidContact } from './accounts.js';
import { bare, type Handler, type Hive, type Parts } from './context.js';

type ContactRefusal = typeof RESP.BAD_REQUEST | typeof RESP.NOT_A_CONTACT;

/** The `contact` part: -1.1 when it is missing or no string, -3.3 when the string is no address (Q8). */
function contactPart(hive: Hive, parts: Parts): Address | ContactRefusal {
  if (typeof parts.contact !== 'string') return RESP.BAD_REQUEST;
  return parseAddress(parts.contact, hive.domain) ?? RESP.NOT_A_CONTACT;
}

/** As contactPart, and -3.3 also for a local user that does not exist. */
function validContactPart(hive: Hive, parts: Parts): Address | ContactRefusal {
  const contact = contactPart(hive, parts);
  return typeof contact === 'number' || isValidContact(hive, contact) ? contact : RESP.NOT_A_CONTACT;
}

/** Q8. Adding an address already in the directory leaves its entry as it is, a block included (Q8 also permits lifting it: L-Q8-add-listed). */
export const addContact: Handler<'Epost_contact_add'> = async ({ hive, parts, iam }) => {
  const contact = validContactPart(hive, parts);
  if (typeof contact === 'number') return bare(contact);
  if (!hive.store.contact(iam.full, contact.full)) hive.store.putContact(iam.full, { contact: contact.full, blocked: false });
  return bare(RESP.OK);
};

/** Q8. Blocking adds the address when it is not in the directory yet. */
export const blockContact: Handler<'Epost_contact_block'> = async ({ hive, parts, iam }) => {
  const contact = validContactPart(hive, parts);
  if (typeof contact === 'number') return bare(contact);
  hive.store.putContact(iam.full, { contact: contact.full, blocked: true });
  return bare(RESP.OK);
};

/** Q8. Removing also unblocks; 0 when the address was not there. */
export const removeContact: Handler<'Epost_contact_remove'> = async ({ hive, parts, iam }) => {
  const contact = contactPart(hive, parts);
  if (typeof contact === 'number') return bare(contact);
  return bare(hive.store.removeContact(iam.full, contact.full) ? RESP.OK : RESP.NO);
};

/** Q9. The session user's own directory, whatever other parts say (E3). */
export const listContacts: Handler<'Epost_contact_list'> = async ({ hive, iam }) => ({
  resp: RESP.OK,
  contacts: hive.store.contacts(iam.full).map(({ contact, blocked }) => ({ contact, blocked })),
});

/** Whether `user` (a local full address) blocked `sender` (Q8: their messages fail with -3.4). */
export function hasBlocked(hive: Hive, user: string, sender: string): boolean {
  return hive.store.contact(user, sender)?.blocked === true;
}
