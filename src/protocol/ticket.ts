import { readSchemaFile } from '../paths.js';
import { charCount } from './content.js';

interface RelaySchema { properties: { ticket: { maxLength: number } } }

/** Q10: a relayed ticket has at most this many characters (the relay schema owns the number). */
export const MAX_TICKET_CHARS = readSchemaFile<RelaySchema>('requests/Epost_msg_relay.json').properties.ticket.maxLength;

/** Q10: a ticket is a string of 1 to MAX_TICKET_CHARS characters; what a Hive, the peer and a bad Hive all test. */
export function isTicket(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && charCount(value) <= MAX_TICKET_CHARS;
}
