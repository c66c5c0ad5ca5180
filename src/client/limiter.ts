/**
 * Bounds how hard the runner presses a Hive: at most `concurrency` requests in
 * flight and, when `rate` is set, request starts at least 1/rate seconds apart,
 * so at most `rate` of them in any second.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** The previous start's turn: starts take their turns one after another. */
  private lastTurn: Promise<void> = Promise.resolve();
  private lastStart = -Infinity;

  constructor(
    private readonly concurrency: number,
    private readonly rate?: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      if (this.rate) await this.spaced(1000 / this.rate);
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the next waiter, so no newcomer can slip in between. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /**
   * Waits until `intervalMs` after the previous start, measured when that start
   * really happened: after the event loop stalls, waiting requests go out spaced
   * as before, not all at once.
   */
  private spaced(intervalMs: number): Promise<void> {
    const turn = this.lastTurn.then(async () => {
      const wait = this.lastStart + intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastStart = Date.now();
    });
    this.lastTurn = turn;
    return turn;
  }
}
