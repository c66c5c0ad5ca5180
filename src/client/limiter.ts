/**
 * Bounds how hard the runner presses a Hive: at most `concurrency` requests in
 * flight and, when `rate` is set, at most `rate` request starts per second.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextStart = 0;

  constructor(
    private readonly concurrency: number,
    private readonly rate?: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      if (this.rate) {
        const now = Date.now();
        const start = Math.max(now, this.nextStart);
        this.nextStart = start + 1000 / this.rate;
        if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
      }
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
