import { readSchemaFile } from '../paths.js';

// The request schemas own the protocol's limits; the Hive reads them rather than repeating the numbers.
interface SendSchema { properties: { to: { minItems: number; maxItems: number } } }
interface RegisterSchema { properties: { pass: { minLength: number; maxLength: number } } }

const send = readSchemaFile<SendSchema>('requests/Epost_msg_send.json').properties;
const register = readSchemaFile<RegisterSchema>('requests/Epost_user_register.json').properties;

/** Q5: `to` holds 1 to 50 addresses. */
export const RECIPIENTS = { min: send.to.minItems, max: send.to.maxItems };
/** Q2: a password has 8 to 256 characters. */
export const PASSWORD_CHARS = { min: register.pass.minLength, max: register.pass.maxLength };
