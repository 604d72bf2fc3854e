import { describe, expect, it } from 'vitest';
import { toBytes } from '../bytes.js';
import { decodeJsonLog } from '../decoder/decode-json-log.js';
import type { DecodedEvent } from '../decoder/types.js';
import { DescriptionTemplate } from './description.js';

const event = (o: unknown): DecodedEvent => decodeJsonLog(JSON.stringify(o), { location: 'stdin', hostname: 'mgr' });
const render = (text: string, e: DecodedEvent): string => new DescriptionTemplate(toBytes(text)).render(e);

describe('DescriptionTemplate (rule-language.md §8)', () => {
  const e = event({ srcuser: 'root', data: { who: 'Alice', note: '$(data.who)' }, user: 'u' });

  it('substitutes dynamic fields, looked up case-insensitively', () => {
    expect(render('Login by $(data.who).', e)).toBe('Login by Alice.');
    expect(render('Login by $(DATA.WHO).', e)).toBe('Login by Alice.');
  });

  it('substitutes static fields by their exact, case-sensitive names', () => {
    // Top-level `user` was routed to dstuser (§7.3); `$(user)` is not a static name, so it is a
    // dynamic lookup and finds nothing.
    expect(render('$(srcuser) / $(dstuser) / $(hostname) / [$(user)]', e)).toBe('root / u / mgr / []');
  });

  it('replaces an absent field with the empty string', () => {
    expect(render('Login by $(x.who).', e)).toBe('Login by .');
    expect(render('[$(program_name)]', e)).toBe('[]');
  });

  it('does not rescan substituted values', () => {
    expect(render('note: $(data.note)', e)).toBe('note: $(data.who)');
  });

  it('copies the rest as is when a $( has no )', () => {
    expect(render('a $(data.who) b $(open', e)).toBe('a Alice b $(open');
  });

  it('falls back to the raw text when the result would reach 1024 bytes', () => {
    const long = event({ v: 'x'.repeat(1000) });
    const raw = `${'d'.repeat(30)} $(v)`;
    expect(render(raw, long)).toBe(raw);
  });

  it('decodes the bytes of the result as UTF-8', () => {
    expect(render('$(n) é', event({ n: 'café' }))).toBe('café é');
  });
});
