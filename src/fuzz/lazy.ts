import type fc from 'fast-check';

/**
 * The one memo style for fuzz arbitraries: built on first use (building reads
 * the schemas), then shared, so the samples a seed draws from it are drawn once.
 */
export function lazy<T>(build: () => fc.Arbitrary<T>): () => fc.Arbitrary<T> {
  let arbitrary: fc.Arbitrary<T> | undefined;
  return () => (arbitrary ??= build());
}
