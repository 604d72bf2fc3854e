import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRuleset } from './load-rules.js';
import { decodeTestLine, runRulesTest } from './rules-test.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/rules');
const REPO = path.resolve(FIXTURES, '../../..');

async function run(lines: string[], explain = false) {
  const ruleset = await loadRuleset({ rules: [FIXTURES] });
  const out: string[] = [];
  const err: string[] = [];
  const summary = await runRulesTest({
    ruleset,
    lines,
    clock: 'event',
    write: (l) => void out.push(l),
    ...(explain ? { explain: (l: string) => err.push(l) } : {}),
    hostname: 'test-host',
  });
  return { out, err, summary };
}

const failed = (who: string) => JSON.stringify({ integration: 'demo', rec: { action: 'Login', who, result: 'Failed' } });

describe('runRulesTest (rule-language.md §10)', () => {
  it('prints one {"rule": …} line per event, evaluated in one session', async () => {
    const { out, summary } = await run([failed('a'), '', failed('a'), failed('a'), failed('a'), '{"integration":"other"}', 'not json']);
    expect(out.map((l) => JSON.parse(l) as { rule: { id: string; firedtimes?: number } | null }).map((r) => r.rule?.id ?? null)).toEqual(['100103', '100103', '100103', '100104', null, null]);
    expect(out[0]).toBe('{"rule":{"id":"100103","level":6,"description":"Failed login by a","groups":["demo","login_failed"],"firedtimes":1,"mail":false}}');
    expect(out[4]).toBe('{"rule":null}');
    expect(summary).toEqual({ events: 6, matched: 4 });
  });

  it('reports a matched level-0 rule', async () => {
    const { out } = await run([JSON.stringify({ integration: 'demo', rec: { action: 'Login', who: 'svc-1' } })]);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ rule: { id: '100102', level: 0 } });
  });

  it('explains each event on the side channel', async () => {
    const { err } = await run([JSON.stringify({ integration: 'other' })], true);
    expect(err).toEqual(['**Event 1: rule debugging:', 'Trying rule: 1 - Generic template for all syslog rules.', '   *Rule 1 matched', '   *Trying child rules', '    Trying rule: 100100 - Demo envelope']);
  });

  it('reads each line of an async source', async () => {
    const ruleset = await loadRuleset({ rules: [FIXTURES] });
    async function* lines() {
      yield failed('b');
    }
    const out: string[] = [];
    await runRulesTest({ ruleset, lines: lines(), clock: 'processing', write: (l) => void out.push(l) });
    expect(out).toHaveLength(1);
  });
});

describe('decodeTestLine', () => {
  it('decodes CloudTrail records through the AWS envelope', () => {
    const record = { eventVersion: '1.08', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2024-05-01T10:00:00Z' };
    const e = decodeTestLine(JSON.stringify(record), 'h');
    expect(e.fieldIndex.get('aws.eventname')).toBe('CreateUser');
    expect(e.fieldIndex.get('integration')).toBe('aws');
    expect(e.eventTimeMs).toBe(Date.parse('2024-05-01T10:00:00Z'));
  });

  it('decodes any other line with the json decoder at location stdin', () => {
    const e = decodeTestLine('{"a":{"b":1}}', 'h');
    expect([e.fieldIndex.get('a.b'), e.location, e.hostname, e.decoder]).toEqual(['1', 'stdin', 'h', 'json']);
    expect(decodeTestLine('plain text', 'h').decoder).not.toBe('json');
  });

  it('is what the shipped ruleset sees for a CloudTrail line', async () => {
    const ruleset = await loadRuleset({ rules: [path.join(REPO, 'rules')] });
    const record = { eventVersion: '1.08', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1', userIdentity: { type: 'IAMUser', userName: 'eve' }, eventTime: '2024-05-01T10:00:00Z' };
    const out: string[] = [];
    await runRulesTest({ ruleset, lines: [JSON.stringify(record)], clock: 'event', write: (l) => void out.push(l) });
    expect(JSON.parse(out[0] ?? '{}')).toMatchObject({ rule: { level: expect.any(Number) } });
  });
});
