// Deadlines proved without the wall clock: on a loaded machine every timer runs
// late, so "ended within N ms" fails by chance, while the order timers fire in holds.

/**
 * Whether `work` settles before a timer of `ms`, started now, fires. Node runs
 * overdue timers in the order they fell due, and the promise callbacks of each
 * before the next: a deadline inside `work` that falls due first and settles
 * it from its own callback wins this race however late both run.
 */
export async function settlesBefore(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
