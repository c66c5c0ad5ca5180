import { readSchemaFile } from '../paths.js';

interface MessageSchema { $defs: { utcDate: { pattern: string } } }

/** RFC 3339 in UTC with Z, as the Message schema writes a date (T9): the schema is its one home. */
export const UTC_DATE = new RegExp(readSchemaFile<MessageSchema>('common/message.json').$defs.utcDate.pattern, 'u');
