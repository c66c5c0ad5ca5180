// How checks compare lists a Hive returned: in order, or as sets of strings.

/** The same items in the same order, compared as their JSON. */
export function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A sorted copy, for lists whose order the profile leaves open. */
export const sorted = (items: readonly string[]): string[] => [...items].sort();
