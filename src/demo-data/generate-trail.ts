// Deterministic demo CloudTrail: for a seed, the same files with the same bytes, produced one file at
// a time so a million events never sit in memory together. Files are 5-minute delivery batches per
// account/region named as CloudTrail names them, with an hourly digest file per partition.
//
// Scheduled scenarios make the demo's rules fire: bursts of failed console logins (6–9 for one user
// from one address inside 4 minutes: Wazuh's "possible breakin attempt", rule 80803 at 4 and 80255
// at 6 failures within 360 s), and, from 200 events on, every security-relevant call at least once.
import { createHash } from 'node:crypto';
import { buildAccountWorld, type AccountWorld } from './account-world.js';
import {
  GLOBAL_SECURITY_EVENTS,
  SECURITY_EVENTS,
  SECURITY_EVENT_NAMES,
  consoleLogin,
  deniedCall,
  eventTimeText,
  noiseEvent,
  type CloudTrailRecord,
  type EventContext,
  type LoginKind,
  type SecurityEventName,
} from './event-catalog.js';
import { Prng } from './prng.js';

export interface TrailGenerationOptions {
  readonly seed: number;
  /** Exact number of records across all log files. */
  readonly events: number;
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** Earliest event time; the span follows from `trailSpanMs`. */
  readonly start: Date;
  /** Organization id: switches to the organization-trail layout `AWSLogs/<o-…>/<account>/…`. */
  readonly orgId?: string;
  /** Custom key prefix before `AWSLogs/`: `''` or ending in `/`. */
  readonly prefix?: string;
  /** Bucket named inside digest files; default `ctindex-demo-trail`. */
  readonly bucket?: string;
}

export interface GeneratedFile {
  readonly kind: 'log' | 'digest';
  readonly key: string;
  /** The file's JSON as UTF-8 bytes, before gzip (encoded once: hashed for the digest, then gzipped). */
  readonly body: Buffer;
  /** Records in a log file; 0 for a digest. */
  readonly events: number;
}

export const DELIVERY_INTERVAL_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
/** About this many records per file, as a busy account's 5-minute batch has. */
const EVENTS_PER_FILE = 100;
const MIN_SPAN_MS = HOUR_MS;
const MAX_SPAN_MS = 7 * 24 * HOUR_MS;
/** From this many events on, every security call and login kind is scheduled at least once. */
const SHOWCASE_FROM_EVENTS = 200;
/** One login burst per this many events (at least one from BURST_FROM_EVENTS on). */
const EVENTS_PER_BURST = 20_000;
const BURST_FROM_EVENTS = 20;

/** How long the generated data spans: ~100 events per file, between 1 hour and 7 days. */
export function trailSpanMs(events: number, partitions: number): number {
  const slots = Math.ceil(events / (Math.max(1, partitions) * EVENTS_PER_FILE));
  return Math.min(MAX_SPAN_MS, Math.max(MIN_SPAN_MS, slots * DELIVERY_INTERVAL_MS));
}

interface PartitionPlan {
  readonly account: string;
  readonly region: string;
  readonly world: AccountWorld;
  /** Logs global-service events (IAM, sign-in): us-east-1, or the first region without it. */
  readonly home: boolean;
  /** `…/AWSLogs/[org/]<account>/` */
  readonly accountRoot: string;
  /** The digest hour in progress (hours since the epoch) and its log files. */
  digestHour: number;
  digestFiles: DigestEntry[];
  previousDigest: { key: string; hash: string; signature: string } | undefined;
}

interface DigestEntry {
  readonly key: string;
  readonly hash: string;
  readonly oldest: string;
  readonly newest: string;
}

/** Events placed in a cell (one slot of one partition) on purpose rather than drawn at random. */
type Special =
  | { readonly kind: 'burst'; readonly failures: number; readonly thenSuccess: boolean }
  | { readonly kind: 'security'; readonly name: SecurityEventName }
  | { readonly kind: 'login'; readonly login: LoginKind }
  | { readonly kind: 'denied' };

export function* generateTrail(options: TrailGenerationOptions): Generator<GeneratedFile> {
  const prng = new Prng(options.seed);
  const prefix = options.prefix ?? '';
  const bucket = options.bucket ?? 'ctindex-demo-trail';
  const homeRegion = options.regions.includes('us-east-1') ? 'us-east-1' : (options.regions[0] ?? 'us-east-1');
  const worlds = options.accounts.map((account) => buildAccountWorld(prng, account));
  const partitions: PartitionPlan[] = [];
  for (const [a, account] of options.accounts.entries()) {
    const world = worlds[a] as AccountWorld;
    for (const region of options.regions) {
      partitions.push({
        account,
        region,
        world,
        home: region === homeRegion,
        accountRoot: `${prefix}AWSLogs/${options.orgId ? `${options.orgId}/` : ''}${account}/`,
        digestHour: 0,
        digestFiles: [],
        previousDigest: undefined,
      });
    }
  }
  const start = Math.floor(options.start.getTime() / 60_000) * 60_000;
  const firstHour = Math.floor(start / HOUR_MS);
  for (const partition of partitions) partition.digestHour = firstHour;
  const slots = trailSpanMs(options.events, partitions.length) / DELIVERY_INTERVAL_MS;
  const homeIndexes = partitions.flatMap((p, i) => (p.home ? [i] : []));

  // Plan: specials first (they count towards `events`), then the rest spread by weight.
  const specials = new Map<number, Special[]>();
  const counts = new Int32Array(slots * partitions.length);
  const place = (cell: number, special: Special, size: number) => {
    const list = specials.get(cell) ?? [];
    list.push(special);
    specials.set(cell, list);
    counts[cell] = (counts[cell] ?? 0) + size;
  };
  const randomCell = (partitionIndexes: readonly number[]) => prng.int(0, slots - 1) * partitions.length + prng.pick(partitionIndexes);
  const allIndexes = partitions.map((_, i) => i);
  let reserved = 0;
  if (options.events >= BURST_FROM_EVENTS && homeIndexes.length > 0) {
    const bursts = Math.max(1, Math.floor(options.events / EVENTS_PER_BURST));
    for (let b = 0; b < bursts; b++) {
      const burst = { kind: 'burst', failures: prng.int(6, 9), thenSuccess: prng.chance(0.3) } as const;
      const size = burst.failures + (burst.thenSuccess ? 1 : 0);
      if (reserved + size > options.events) break;
      place(randomCell(homeIndexes), burst, size);
      reserved += size;
    }
  }
  if (options.events - reserved >= SHOWCASE_FROM_EVENTS) {
    for (const name of SECURITY_EVENT_NAMES) {
      place(randomCell(GLOBAL_SECURITY_EVENTS.has(name) ? homeIndexes : allIndexes), { kind: 'security', name }, 1);
    }
    for (const login of ['root', 'success_no_mfa', 'success', 'failure'] as const) place(randomCell(homeIndexes), { kind: 'login', login }, 1);
    place(randomCell(allIndexes), { kind: 'denied' }, 1);
    reserved += SECURITY_EVENT_NAMES.length + 5;
  }
  spreadByWeight(prng, counts, options.events - reserved, partitions, slots, start);

  for (let slot = 0; slot < slots; slot++) {
    for (const [p, partition] of partitions.entries()) {
      // Delivery 15–19 minutes after the slot opens; the records are from the 5–15 minutes before it.
      const delivered = start + slot * DELIVERY_INTERVAL_MS + 15 * 60_000 + prng.int(0, 4) * 60_000;
      const cell = slot * partitions.length + p;
      const count = counts[cell] ?? 0;
      if (count === 0) continue;
      yield* digestsBefore(prng, partition, Math.floor(delivered / HOUR_MS), bucket, homeRegion);
      const file = logFile(prng, partition, delivered, count, specials.get(cell) ?? []);
      partition.digestFiles.push(file.digestEntry);
      yield file.file;
    }
  }
  const lastDelivery = start + (slots - 1) * DELIVERY_INTERVAL_MS + 19 * 60_000;
  for (const partition of partitions) yield* digestsBefore(prng, partition, Math.floor(lastDelivery / HOUR_MS) + 1, bucket, homeRegion);
}

/**
 * Spreads `total` events over the cells: busier in the (UTC) working day, twice as busy in the home
 * region, with noise. Cumulative rounding makes the counts add up to exactly `total`.
 */
function spreadByWeight(prng: Prng, counts: Int32Array, total: number, partitions: readonly PartitionPlan[], slots: number, start: number): void {
  const weights = new Float64Array(counts.length);
  let sum = 0;
  for (let slot = 0; slot < slots; slot++) {
    const hour = new Date(start + slot * DELIVERY_INTERVAL_MS).getUTCHours() + 0.5;
    const daytime = 0.3 + Math.max(0, Math.sin((Math.PI * (hour - 6)) / 14));
    for (const [p, partition] of partitions.entries()) {
      const w = daytime * (partition.home ? 2 : 1) * (0.5 + prng.next());
      weights[slot * partitions.length + p] = w;
      sum += w;
    }
  }
  let cumulative = 0;
  let placed = 0;
  for (let cell = 0; cell < counts.length; cell++) {
    cumulative += weights[cell] ?? 0;
    const upTo = cell === counts.length - 1 ? total : Math.round((total * cumulative) / sum);
    counts[cell] = (counts[cell] ?? 0) + (upTo - placed);
    placed = upTo;
  }
}

function logFile(
  prng: Prng,
  partition: PartitionPlan,
  delivered: number,
  count: number,
  specials: readonly Special[],
): { file: GeneratedFile; digestEntry: DigestEntry } {
  const windowStart = delivered - 15 * 60_000;
  const windowMs = 10 * 60_000;
  // Decide what happens when, then build the records in time order.
  const planned: { at: number; build: (ctx: EventContext) => CloudTrailRecord }[] = [];
  let randomCount = count;
  for (const special of specials) {
    if (special.kind === 'burst') {
      const person = prng.pick(partition.world.people);
      const attacker = `192.0.2.${prng.int(200, 254)}`;
      let at = windowStart + prng.int(0, 5 * 60) * 1000;
      for (let f = 0; f < special.failures; f++) {
        planned.push({ at, build: (ctx) => consoleLogin(ctx, 'failure', person, attacker) });
        at += prng.int(10, 25) * 1000;
      }
      if (special.thenSuccess) planned.push({ at, build: (ctx) => consoleLogin(ctx, 'success_no_mfa', person, attacker) });
      randomCount -= special.failures + (special.thenSuccess ? 1 : 0);
    } else {
      const build =
        special.kind === 'security'
          ? SECURITY_EVENTS[special.name]
          : special.kind === 'login'
            ? (ctx: EventContext) => consoleLogin(ctx, special.login)
            : (ctx: EventContext) => deniedCall(ctx, partition.home);
      planned.push({ at: windowStart + prng.int(0, windowMs - 1000), build });
      randomCount -= 1;
    }
  }
  for (let i = 0; i < randomCount; i++) planned.push({ at: windowStart + prng.int(0, windowMs - 1000), build: randomBuilder(prng, partition.home) });
  planned.sort((a, b) => a.at - b.at);

  const records = planned.map(({ at, build }) => build({ prng, world: partition.world, region: partition.region, time: new Date(at) }));
  const key = `${partition.accountRoot}CloudTrail/${partition.region}/${datePath(delivered)}/${partition.account}_CloudTrail_${partition.region}_${stamp(delivered, false)}_${prng.base62(16)}.json.gz`;
  // Encoded once, then hashed and gzipped as bytes: hashing the string encoded it a second time
  // (1M events: 11.8 → 8.1 s together with drawing hex 8 digits at a time).
  const body = Buffer.from(JSON.stringify({ Records: records }));
  const first = planned[0]?.at ?? windowStart;
  const last = planned[planned.length - 1]?.at ?? windowStart;
  return {
    file: { kind: 'log', key, body, events: records.length },
    digestEntry: { key, hash: sha256(body), oldest: eventTimeText(new Date(first)), newest: eventTimeText(new Date(last)) },
  };
}

const REGIONAL_SECURITY_EVENT_NAMES = SECURITY_EVENT_NAMES.filter((name) => !GLOBAL_SECURITY_EVENTS.has(name));

/** The mix of everyday traffic: mostly read-only noise, some security calls, denials and logins. */
function randomBuilder(prng: Prng, home: boolean): (ctx: EventContext) => CloudTrailRecord {
  const r = prng.next();
  if (home && r < 0.006) {
    const login = prng.weighted<LoginKind>([['success', 6], ['success_no_mfa', 2], ['failure', 2], ['root', 0.5]]);
    return (ctx) => consoleLogin(ctx, login);
  }
  if (r < 0.02) return SECURITY_EVENTS[prng.pick(home ? SECURITY_EVENT_NAMES : REGIONAL_SECURITY_EVENT_NAMES)];
  if (r < 0.04) return (ctx) => deniedCall(ctx, home);
  return (ctx) => noiseEvent(ctx, home);
}

/**
 * The partition's hourly digests for every hour before `untilHour` (hours since the epoch), each
 * listing that hour's log files with the SHA-256 of their uncompressed content and chained to the
 * previous digest. The signature is random hex: the demo has no CloudTrail private key.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html
 */
function* digestsBefore(prng: Prng, partition: PartitionPlan, untilHour: number, bucket: string, homeRegion: string): Generator<GeneratedFile> {
  for (; partition.digestHour < untilHour; partition.digestHour++) {
    const startMs = partition.digestHour * HOUR_MS;
    const endMs = startMs + HOUR_MS;
    const delivered = endMs + prng.int(0, 600) * 1000;
    const trail = 'management-events';
    const key = `${partition.accountRoot}CloudTrail-Digest/${partition.region}/${datePath(delivered)}/${partition.account}_CloudTrail-Digest_${partition.region}_${trail}_${homeRegion}_${stamp(delivered, true)}.json.gz`;
    const files = partition.digestFiles;
    const times = files.flatMap((f) => [f.oldest, f.newest]).sort();
    const previous = partition.previousDigest;
    const body = Buffer.from(JSON.stringify({
      awsAccountId: partition.account,
      digestStartTime: eventTimeText(new Date(startMs)),
      digestEndTime: eventTimeText(new Date(endMs)),
      digestS3Bucket: bucket,
      digestS3Object: key,
      digestPublicKeyFingerprint: prng.hex(32),
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: times[times.length - 1] ?? null,
      oldestEventTime: times[0] ?? null,
      previousDigestS3Bucket: previous ? bucket : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.hash ?? null,
      previousDigestHashAlgorithm: previous ? 'SHA-256' : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: files.map((f) => ({
        s3Bucket: bucket,
        s3Object: f.key,
        hashValue: f.hash,
        hashAlgorithm: 'SHA-256',
        newestEventTime: f.newest,
        oldestEventTime: f.oldest,
      })),
    }));
    partition.previousDigest = { key, hash: sha256(body), signature: prng.hex(512) };
    partition.digestFiles = [];
    yield { kind: 'digest', key, body, events: 0 };
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `yyyy/mm/dd` of a UTC instant. */
function datePath(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
}

/** `yyyymmddThhmmZ` (log files) or `yyyymmddThhmmssZ` (digests). */
function stamp(ms: number, seconds: boolean): string {
  const iso = new Date(ms).toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, seconds ? 19 : 16).replaceAll(':', '');
  return `${date}T${time}Z`;
}
