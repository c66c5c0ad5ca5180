/** At most `max` requests of a kind from one client IP in each window of `windowMs`. */
export interface IpLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** Per-IP limits of the requests that cost a Hive most to be flooded with: registrations (a hash and a record each) and sends. */
export interface IpLimits {
  readonly registrations?: IpLimit;
  readonly sends?: IpLimit;
}

/** What `pame hive` applies unless told otherwise: generous for people, a wall for a script. */
export const DEFAULT_IP_LIMITS: Required<IpLimits> = {
  registrations: { max: 20, windowMs: 60 * 60_000 },
  sends: { max: 600, windowMs: 60 * 60_000 },
};

/** Counts one kind of request per client IP in fixed windows; windows that have ended are swept. */
export class IpBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: IpLimit) {}

  /** Counts a request from `ip` at `now`; false when the IP has used up its window. */
  take(ip: string, now: number): boolean {
    let window = this.windows.get(ip);
    if (!window || now - window.start >= this.limit.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(ip, window);
    }
    return ++window.count <= this.limit.max;
  }

  sweep(now: number): void {
    for (const [ip, window] of this.windows) if (now - window.start >= this.limit.windowMs) this.windows.delete(ip);
  }
}
