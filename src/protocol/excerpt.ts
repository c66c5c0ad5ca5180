/** The most of a Hive's text one message quotes: a name or value 900,000 characters long must not be copied into every report line. */
export const EXCERPT_CHARS = 80;

/** Text a Hive sent, cut for quoting in a message: its start and how long it was. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
