import { describe, expect, it } from 'vitest';
import type { DecodedEvent, StaticField } from '../decoder/types.js';
import { COMPILED_RULES } from './compiled-rules.js';

function event(log: string, statics: Partial<Record<StaticField, string>>): DecodedEvent {
  return { log, fields: [], fieldIndex: new Map(), statics, decoder: 'json', location: 'stdin', hostname: 'h', agentId: '000', eventTimeMs: undefined };
}

const run = (name: string, e: DecodedEvent): boolean => {
  const fn = COMPILED_RULES.get(name);
  if (fn === undefined) throw new Error(name);
  return fn(e);
};

describe('COMPILED_RULES (compiled_rules/generic_samples.c)', () => {
  it('comp_srcuser_dstuser fails only when both users are present and differ', () => {
    expect(run('comp_srcuser_dstuser', event('', { srcuser: 'a', dstuser: 'b' }))).toBe(false);
    expect(run('comp_srcuser_dstuser', event('', { srcuser: 'a', dstuser: 'a' }))).toBe(true);
    expect(run('comp_srcuser_dstuser', event('', { srcuser: 'a' }))).toBe(true);
  });

  it('check_id_size needs an id of 10 bytes or more', () => {
    expect(run('check_id_size', event('', { id: '1234567890' }))).toBe(true);
    expect(run('check_id_size', event('', { id: '123' }))).toBe(false);
    expect(run('check_id_size', event('', {}))).toBe(false);
  });

  it('comp_mswin_targetuser_calleruser_diff compares the two account names', () => {
    expect(run('comp_mswin_targetuser_calleruser_diff', event('Target Account Name: bob\tCaller User Name: eve\t', {}))).toBe(true);
    expect(run('comp_mswin_targetuser_calleruser_diff', event('Target Account Name: bob\tCaller User Name: bob\t', {}))).toBe(false);
    expect(run('comp_mswin_targetuser_calleruser_diff', event('no names', {}))).toBe(false);
  });

  it('is_simple_http_request accepts / and URLs without a query', () => {
    expect(run('is_simple_http_request', event('', { url: '/' }))).toBe(true);
    expect(run('is_simple_http_request', event('', { url: '/a/b' }))).toBe(true);
    expect(run('is_simple_http_request', event('', { url: '/a?x=1' }))).toBe(false);
    expect(run('is_simple_http_request', event('', {}))).toBe(false);
  });

  it('is_valid_crawler looks at the start of the log', () => {
    expect(run('is_valid_crawler', event('66.249.1.1 - GET /', {}))).toBe(true);
    expect(run('is_valid_crawler', event('1.2.3.4 - GET /', {}))).toBe(false);
  });
});
