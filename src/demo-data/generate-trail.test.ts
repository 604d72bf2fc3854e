import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyTime, parseTrailKey } from '../source/trail-keys.js';
import { SECURITY_EVENT_NAMES } from './event-catalog.js';
import { generateTrail, trailSpanMs, type GeneratedFile, type TrailGenerationOptions } from './generate-trail.js';

const BASE: TrailGenerationOptions = {
  seed: 7,
  events: 3_000,
  accounts: ['111122223333', '444455556666'],
  regions: ['us-east-1', 'eu-west-1'],
  start: new Date('2024-05-01T08:00:00Z'),
};

type Rec = Record<string, unknown> & { userIdentity: Record<string, unknown>; eventTime: string; eventName: string; eventSource: string };
const logsOf = (files: GeneratedFile[]) => files.filter((f) => f.kind === 'log');
const recordsOf = (file: GeneratedFile) => (JSON.parse(file.body.toString('utf8')) as { Records: Rec[] }).Records;
const generate = (options: Partial<TrailGenerationOptions> = {}) => [...generateTrail({ ...BASE, ...options })];

describe('generateTrail', () => {
  const files = generate();
  const records = logsOf(files).flatMap(recordsOf);

  it('is deterministic for a seed and differs between seeds', () => {
    // Compared by digest: deep equality over megabytes of Buffers is slow in the matcher.
    const fingerprint = (list: GeneratedFile[]) => list.map((f) => `${f.kind} ${f.key} ${f.events} ${createHash('sha256').update(f.body).digest('hex')}`);
    expect(fingerprint(generate())).toEqual(fingerprint(files));
    expect(fingerprint(generate({ seed: 8 }))).not.toEqual(fingerprint(files));
  });

  it.each([1, 19, 20, 199, 200, 230, 5_000])('writes exactly %i events', (events) => {
    const generated = generate({ events });
    expect(generated.reduce((n, f) => n + f.events, 0)).toBe(events);
    expect(logsOf(generated).flatMap(recordsOf)).toHaveLength(events);
  });

  it('names log files and digests as CloudTrail does, in their partitions', () => {
    for (const file of files) {
      const parsed = parseTrailKey(file.key);
      if (file.kind === 'log') {
        expect(parsed).toMatchObject({ kind: 'log', root: '', org: undefined });
        expect(file.key).toMatch(/^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\1_CloudTrail_\2_\d{8}T\d{4}Z_[0-9A-Za-z]{16}\.json\.gz$/);
      } else {
        expect(parsed).toEqual({ kind: 'skipped', reason: 'digest' });
        expect(file.key).toMatch(/^AWSLogs\/(\d{12})\/CloudTrail-Digest\/([a-z0-9-]+)\/\d{4}\/\d{2}\/\d{2}\/\1_CloudTrail-Digest_\2_management-events_us-east-1_\d{8}T\d{6}Z\.json\.gz$/);
      }
    }
  });

  it('uses the organization layout and a custom prefix when asked', () => {
    const org = generate({ orgId: 'o-a1b2c3d4e5', prefix: 'trails/', events: 300 });
    for (const file of org) expect(file.key).toMatch(/^trails\/AWSLogs\/o-a1b2c3d4e5\/\d{12}\/CloudTrail(-Digest)?\//);
    expect(parseTrailKey(logsOf(org)[0]?.key ?? '')).toMatchObject({ kind: 'log', root: 'trails/', org: 'o-a1b2c3d4e5' });
  });

  it('puts each record 5 to 15 minutes before its file’s delivery, in time order', () => {
    for (const file of logsOf(files)) {
      const delivered = keyTime(file.key)?.getTime() ?? Number.NaN;
      const times = recordsOf(file).map((r) => Date.parse(r.eventTime));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      for (const t of times) {
        expect(t).toBeGreaterThanOrEqual(delivered - 15 * 60_000);
        expect(t).toBeLessThan(delivered - 5 * 60_000);
      }
    }
  });

  it('spreads events over the span, busier in the home region', () => {
    const span = trailSpanMs(BASE.events, 4);
    const times = records.map((r) => Date.parse(r.eventTime));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(BASE.start.getTime());
    expect(Math.max(...times)).toBeGreaterThan(BASE.start.getTime() + span - 30 * 60_000);
    const home = records.filter((r) => r.awsRegion === 'us-east-1').length;
    expect(home).toBeGreaterThan(records.length / 2);
  });

  it('keeps global-service events (IAM, sign-in) in the home region’s files', () => {
    for (const file of logsOf(files).filter((f) => f.key.includes('/eu-west-1/'))) {
      for (const r of recordsOf(file)) expect(['iam.amazonaws.com', 'signin.amazonaws.com']).not.toContain(r.eventSource);
    }
  });

  it('has a burst of at least 6 failed logins for one user from one address within 360 s', () => {
    const failures = records.filter((r) => r.eventName === 'ConsoleLogin' && (r.responseElements as Record<string, string>).ConsoleLogin === 'Failure');
    const byUser = new Map<string, number[]>();
    for (const r of failures) {
      const who = `${String(r.recipientAccountId)}/${String(r.userIdentity.userName)}/${String(r.sourceIPAddress)}`;
      byUser.set(who, [...(byUser.get(who) ?? []), Date.parse(r.eventTime)]);
    }
    const longestRun = Math.max(
      ...[...byUser.values()].map((times) => Math.max(...times.map((t) => times.filter((u) => u >= t && u - t <= 360_000).length))),
    );
    expect(longestRun).toBeGreaterThanOrEqual(6);
    expect(failures[0]).toMatchObject({ errorMessage: 'Failed authentication', eventType: 'AwsConsoleSignIn', userIdentity: { type: 'IAMUser' } });
  });

  it('covers every security call, login kind, denial and caller type', () => {
    const names = new Set(records.map((r) => r.eventName));
    for (const name of SECURITY_EVENT_NAMES) expect(names).toContain(name);
    const logins = records.filter((r) => r.eventName === 'ConsoleLogin');
    expect(logins.some((r) => r.userIdentity.type === 'Root')).toBe(true);
    expect(logins.some((r) => (r.additionalEventData as Record<string, string>).MFAUsed === 'No' && (r.responseElements as Record<string, string>).ConsoleLogin === 'Success')).toBe(true);
    const errors = new Set(records.map((r) => r.errorCode));
    expect(errors).toContain('AccessDenied');
    expect(errors).toContain('Client.UnauthorizedOperation');
    const types = new Set(records.map((r) => r.userIdentity.type));
    expect([...types].sort()).toEqual(['AWSService', 'AssumedRole', 'IAMUser', 'Root']);
    const service = records.find((r) => r.userIdentity.type === 'AWSService');
    expect(service?.sourceIPAddress).toMatch(/\.amazonaws\.com$/);
    const assumed = records.find((r) => r.userIdentity.type === 'AssumedRole');
    expect(assumed?.userIdentity).toMatchObject({ sessionContext: { sessionIssuer: { type: 'Role' } } });
    const open = records.find((r) => r.eventName === 'AuthorizeSecurityGroupIngress');
    expect(JSON.stringify(open?.requestParameters)).toContain('"cidrIp":"0.0.0.0/0"');
    const admin = records.find((r) => r.eventName === 'AttachUserPolicy');
    expect(admin?.requestParameters).toMatchObject({ policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  });

  it('gives every record the CloudTrail envelope and a unique v4 eventID', () => {
    const ids = new Set<string>();
    for (const r of records) {
      expect(['1.08', '1.09']).toContain(r.eventVersion);
      expect(r.eventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(r).toHaveProperty('recipientAccountId');
      expect(r).toHaveProperty('eventType');
      expect(r.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      ids.add(String(r.eventID));
    }
    expect(ids.size).toBe(records.length);
  });

  it('writes hourly digests that list each log file once with the SHA-256 of its content', () => {
    const bodies = new Map(logsOf(files).map((f) => [f.key, f.body]));
    const listed: string[] = [];
    const digests = files.filter((f) => f.kind === 'digest');
    for (const digest of digests) {
      const d = JSON.parse(digest.body.toString('utf8')) as { digestS3Object: string; logFiles: { s3Object: string; hashValue: string }[] };
      expect(d.digestS3Object).toBe(digest.key);
      for (const entry of d.logFiles) {
        expect(entry.hashValue).toBe(createHash('sha256').update(bodies.get(entry.s3Object) ?? Buffer.alloc(0)).digest('hex'));
        listed.push(entry.s3Object);
      }
    }
    expect(listed.sort()).toEqual([...bodies.keys()].sort());
    // 4 partitions × every hour from the first delivery to the last.
    expect(digests.length % 4).toBe(0);
  });
});
