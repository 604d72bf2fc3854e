// Bounds memory by bytes in flight rather than by object count: a 50 MB object and thousands of
// small ones both stay within the same budget. Waiters are served first-in first-out, which the
// ordered prefetcher relies on (a partition acquires for its files in key order, so the file its
// consumer waits for is always ahead of that partition's later files; see ordered-prefetch.ts).

export class ByteBudget {
  #inFlight = 0;
  readonly #limit: number;
  readonly #waiters: { bytes: number; resolve: () => void }[] = [];

  constructor(limitBytes: number) {
    this.#limit = limitBytes;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Resolves once `bytes` fit. An item larger than the whole budget is let through alone. */
  acquire(bytes: number): Promise<void> {
    if (this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#inFlight += bytes;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  release(bytes: number): void {
    this.#inFlight -= bytes;
    while (this.#waiters.length > 0) {
      const next = this.#waiters[0]!;
      if (!this.#fits(next.bytes)) break;
      this.#waiters.shift();
      this.#inFlight += next.bytes;
      next.resolve();
    }
  }

  #fits(bytes: number): boolean {
    return this.#inFlight === 0 || this.#inFlight + bytes <= this.#limit;
  }
}
