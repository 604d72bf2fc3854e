// Tracks one object's documents from acceptance to acknowledgement. The partition's checkpoint
// (and --delete) may only pass an object once its ticket is done: every document it produced was
// indexed, found already indexed, or dead-lettered. After a crash the object is read again, and
// deterministic _ids make the second send harmless.
import type { AckOutcome } from './ports.js';

export class FileTicket {
  #pending = 0;
  #sealed = false;
  #resolve!: () => void;
  readonly done: Promise<void>;
  created = 0;
  duplicates = 0;
  deadLettered = 0;

  constructor() {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** One more document will be written for this object (now, or later if deferred). */
  add(): void {
    this.#pending++;
  }

  ack(outcome: AckOutcome): void {
    if (outcome === 'created') this.created++;
    else if (outcome === 'duplicate') this.duplicates++;
    else this.deadLettered++;
    this.#pending--;
    this.#settle();
  }

  /** No more documents will be added: reading the object is over. */
  seal(): void {
    this.#sealed = true;
    this.#settle();
  }

  #settle(): void {
    if (this.#sealed && this.#pending === 0) this.#resolve();
  }
}
