import { describe, expect, it } from 'vitest';
import { FileTicket } from './file-ticket.js';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 0));
  return done;
};

describe('FileTicket', () => {
  it('is done only once sealed and every added document is acknowledged, whatever the order', async () => {
    const t = new FileTicket();
    t.add();
    t.add();
    t.ack('created');
    expect(await settled(t.done)).toBe(false);
    t.seal();
    expect(await settled(t.done)).toBe(false);
    t.add(); // a deferred (order-sensitive) record added after reading, before its ack
    t.ack('duplicate');
    t.ack('dead_lettered');
    expect(await settled(t.done)).toBe(true);
    expect([t.created, t.duplicates, t.deadLettered]).toEqual([1, 1, 1]);
  });

  it('is done at once for an object that produced no documents', async () => {
    const t = new FileTicket();
    t.seal();
    expect(await settled(t.done)).toBe(true);
  });
});
