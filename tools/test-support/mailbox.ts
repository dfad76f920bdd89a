/**
 * Messages a test peer received, claimed one by one: `receive()` takes the first unclaimed
 * message that matches, or waits (bounded) for one to arrive; `deliver()` hands a new message to a
 * waiting `receive()` or keeps it unclaimed. Shared by the raw SIP clients of the tests.
 */
type Waiter<T> = { match: (message: T) => boolean; resolve: (message: T) => void };

export class Mailbox<T> {
  readonly #unclaimed: T[] = [];
  readonly #waiters: Array<Waiter<T>> = [];

  /** @param describe how a message is named in a timeout error (its start line, say). */
  constructor(
    private readonly owner: string,
    private readonly describe: (message: T) => string,
  ) {}

  get unclaimed(): readonly T[] {
    return this.#unclaimed;
  }

  deliver(message: T): void {
    const index = this.#waiters.findIndex((waiter) => waiter.match(message));
    if (index >= 0) this.#waiters.splice(index, 1)[0]!.resolve(message);
    else this.#unclaimed.push(message);
  }

  receive(match: (message: T) => boolean, what: string, timeoutMs: number): Promise<T> {
    const index = this.#unclaimed.findIndex(match);
    if (index >= 0) return Promise.resolve(this.#unclaimed.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        const seen = this.#unclaimed.map(this.describe).join(' | ') || 'nothing';
        reject(new Error(`${this.owner}: no ${what} within ${timeoutMs} ms (unclaimed: ${seen})`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}
