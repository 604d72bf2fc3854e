// Pure parsing and building of CloudTrail S3 keys: which listed keys are log files, which partition
// they belong to, and which key a given instant starts at (the `StartAfter` of a listing).
//
// Layout (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html):
//   <prefix>AWSLogs/[<o-org-id>/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/
//     <account>_CloudTrail_<region>_<yyyymmdd>T<hhmm>Z_<unique string>.json.gz
// Digest files live beside it under `CloudTrail-Digest/`
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
import type { ListedObject, Partition } from './types.js';

/** AWS account ids are twelve digits. */
export const ACCOUNT_ID = /^\d{12}$/;
/** AWS Organizations ids: `o-` and 10 to 32 lower-case letters or digits. */
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
/** Region folder names (`us-east-1`, `us-gov-west-1`, `cn-north-1` …); kept loose so new partitions of AWS pass. */
export const REGION = /^[a-z]{2,}(?:-[a-z0-9]+)+$/;

const LOG_PATH =
  /^((?:[^/]*\/)*?)AWSLogs\/(?:(o-[a-z0-9]{10,32})\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)$/;
// The unique string is 16 alphanumerics in practice; any length is accepted. `.json` (no `.gz`)
// is accepted for directories where someone gunzipped the files; the reader sniffs the content.
const LOG_FILE = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8})T(\d{4})Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;
const DIGEST = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?\d{12}\/CloudTrail-Digest\/|_CloudTrail-Digest_/;
const FILE_TIME = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/;

/** What a key is: a log file of some partition, or something to skip. */
export type ParsedTrailKey =
  | {
      readonly kind: 'log';
      /** Custom prefix before `AWSLogs/`: `''` or ending in `/`. */
      readonly root: string;
      readonly org: string | undefined;
      readonly account: string;
      readonly region: string;
      /** Delivery time from the file name, to the minute. */
      readonly deliveredAt: Date;
    }
  | { readonly kind: 'skipped'; readonly reason: 'digest' | 'not_a_log_file' };

/** Classifies one S3 key. Folder and file name must agree on account, region and day. */
export function parseTrailKey(key: string): ParsedTrailKey {
  const path = LOG_PATH.exec(key);
  const file = path?.[8] === undefined ? null : LOG_FILE.exec(path[8]);
  if (path && file) {
    const [, root = '', org, account = '', region = '', yyyy, mm, dd] = path;
    const [, fileAccount, fileRegion, day = '', hhmm = ''] = file;
    if (fileAccount === account && fileRegion === region && day === `${yyyy}${mm}${dd}`) {
      const deliveredAt = utcDate(day, hhmm);
      if (deliveredAt) return { kind: 'log', root, org, account, region, deliveredAt };
    }
  }
  return { kind: 'skipped', reason: DIGEST.test(key) ? 'digest' : 'not_a_log_file' };
}

/** `''` or a prefix ending in one `/`, without a leading `/` (S3 keys have none). */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** The stable partition id: `[<root>][<org>/]<account>/<region>` (see `Partition.id`). */
export function partitionId(parts: { root: string; org?: string | undefined; account: string; region: string }): string {
  return `${parts.root}${parts.org ? `${parts.org}/` : ''}${parts.account}/${parts.region}`;
}

/** The key prefix under which an account's trail folders (`CloudTrail/`, `CloudTrail-Digest/`) sit. */
export function accountPrefix(root: string, org: string | undefined, account: string): string {
  return `${root}AWSLogs/${org ? `${org}/` : ''}${account}/`;
}

/** Builds the partition of one account/region under a custom prefix (`root`, normalised). */
export function buildPartition(parts: { root: string; org?: string | undefined; account: string; region: string }): Partition {
  const { root, org, account, region } = parts;
  const prefix = `${accountPrefix(root, org, account)}CloudTrail/${region}/`;
  const id = partitionId(parts);
  return org ? { id, account, region, org, prefix } : { id, account, region, prefix };
}

/**
 * The key at which `date` starts inside `partition`: every file delivered in that minute or later
 * sorts after it, every earlier file sorts before it. Keys sort in delivery-time order because
 * the date folders and the `yyyymmddThhmmZ` stamp are fixed-width, so this is the `StartAfter`
 * for `--since` and for "checkpoint minus lookback", and the `endBefore` of a window.
 */
export function keyAt(partition: Partition, date: Date): string {
  const iso = date.toISOString(); // yyyy-mm-ddThh:mm:ss.sssZ, always UTC
  const yyyy = iso.slice(0, 4);
  const mm = iso.slice(5, 7);
  const dd = iso.slice(8, 10);
  const hhmm = iso.slice(11, 13) + iso.slice(14, 16);
  return `${partition.prefix}${yyyy}/${mm}/${dd}/${partition.account}_CloudTrail_${partition.region}_${yyyy}${mm}${dd}T${hhmm}Z`;
}

/** Delivery time of a log file from its name (to the minute), or undefined for other keys. */
export function keyTime(key: string): Date | undefined {
  const m = FILE_TIME.exec(key);
  return m ? utcDate(`${m[1]}${m[2]}${m[3]}`, `${m[4]}${m[5]}`) : undefined;
}

/** Turns a listed key inside `partition` into what the source yields. */
export function listedObject(bucket: string, key: string, size: number, partition: Partition): ListedObject {
  const parsed = parseTrailKey(key);
  if (parsed.kind === 'log' && key.startsWith(partition.prefix)) {
    return { kind: 'log', object: { bucket, key, size, partition } };
  }
  return { kind: 'skipped', skipped: { key, reason: parsed.kind === 'skipped' ? parsed.reason : 'not_a_log_file' } };
}

function utcDate(yyyymmdd: string, hhmm: string): Date | undefined {
  const y = Number(yyyymmdd.slice(0, 4));
  const mo = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const h = Number(hhmm.slice(0, 2));
  const mi = Number(hhmm.slice(2, 4));
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  // Date.UTC rolls 2024-02-31 over into March; a name that does not round-trip is not a real stamp.
  const valid = date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60;
  return valid ? date : undefined;
}
