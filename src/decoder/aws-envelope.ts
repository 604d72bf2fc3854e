// Shapes a CloudTrail record as Wazuh's AWS module sends it to analysisd (rule-language.md §11.3), so
// that Wazuh's own AWS rules see the fields they were written for. For rule evaluation only: the
// indexed document keeps the original record.
//
// Field order of the `aws` object, from §11.3 (not checked against the module's source here):
// log_info first; then the record's members in order; then `source` and `aws_account_id` (Python
// dict assignment: replaced in place if the record already had such a key, else appended); then
// `source_ip_address`, which the module adds while reformatting the finished message, so last.
import { JsonObject } from './json-text.js';
import { pythonStr } from './python-str.js';

/** Where a record was read from; the module reports it under `aws.log_info`. */
export interface TrailLogInfo {
  readonly bucket: string;
  readonly key: string;
  /** The module's `aws_account_alias` option; '' when not configured (what we take its default to be; unverified). */
  readonly accountAlias?: string;
}

/** Members the module turns into `{"string": str(v)}` when they are not objects (cloudtrail.py). */
const CAST_TO_OBJECT = ['requestParameters', 'responseElements', 'additionalEventData'] as const;

// §11.3 only says "looks like an IPv4 address". The module's test, as we recall it (unverified):
// Python `re.match(r'\d+\.\d+.\d+.\d+', v)`, anchored at the start only, two of the dots unescaped,
// `\d` any Unicode decimal digit and `.` anything but a newline.
const LOOKS_LIKE_IPV4 = /^\p{Nd}+\.\p{Nd}+[^\n]\p{Nd}+[^\n]\p{Nd}+/u;

// The module knows the account from the folder it lists: `[prefix/]AWSLogs/[o-org/]<account>/CloudTrail/…`.
const ACCOUNT_IN_KEY = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?(\d{12})\//;

/**
 * `{"integration":"aws","aws":{"log_info":{…},…record…,"source":"cloudtrail","aws_account_id":…}}`
 * with the module's normalisations. `aws_account_id` is the account folder of `info.key`, else the
 * record's `recipientAccountId`; with neither (a bare record in `rules test`) it is left out.
 * Sub-objects the normalisation does not change are shared with `record`, which is never modified.
 */
export function buildAwsEnvelope(record: Readonly<Record<string, unknown>>, info: TrailLogInfo): JsonObject {
  const logInfo: [string, unknown] = [
    'log_info',
    new JsonObject([
      ['aws_account_alias', info.accountAlias ?? ''],
      ['log_file', info.key],
      ['s3bucket', info.bucket],
    ]),
  ];
  const aws: Array<[string, unknown]> = [logInfo];
  for (const key of Object.keys(record)) {
    const value = normaliseMember(record[key]);
    if (value === DROPPED) continue;
    if (key === 'log_info') logInfo[1] = value; // dict.update replaces the existing key in place
    else aws.push([key, value]);
  }
  setMember(aws, 'source', 'cloudtrail');
  const accountId = ACCOUNT_IN_KEY.exec(info.key)?.[1] ?? record['recipientAccountId'];
  if (typeof accountId === 'string') setMember(aws, 'aws_account_id', accountId);

  const sourceIp = findMember(aws, 'sourceIPAddress');
  if (typeof sourceIp?.[1] === 'string' && LOOKS_LIKE_IPV4.test(sourceIp[1])) {
    setMember(aws, 'source_ip_address', sourceIp[1]);
  }
  for (const name of CAST_TO_OBJECT) {
    const member = findMember(aws, name);
    if (member !== undefined && !isObject(member[1])) member[1] = new JsonObject([['string', pythonStr(member[1])]]);
  }
  return new JsonObject<unknown>([
    ['integration', 'aws'],
    ['aws', new JsonObject(aws)],
  ]);
}

const DROPPED = Symbol('dropped');

/**
 * The module's two passes over one member, which compose into one: `null` members of objects are
 * removed, and a one-element list becomes its element. Both recurse through objects only: lists are
 * not entered, and an element taken out of a list is not normalised itself (so `[{"a":null}]`
 * becomes `{"a":null}`). Nulls go first, so `[null]` becomes a kept `null`.
 */
function normaliseMember(value: unknown): unknown {
  if (value === null) return DROPPED;
  if (Array.isArray(value)) return value.length === 1 ? value[0] : value;
  if (typeof value === 'object') return normaliseObject(value);
  return value;
}

/** Copy-on-write: returns `obj` itself unless a member changes, else a `JsonObject` copy. */
function normaliseObject(obj: object): object {
  const record = obj as Record<string, unknown>;
  const keys = Object.keys(record);
  let copy: Array<[string, unknown]> | undefined;
  let index = 0;
  for (const key of keys) {
    const value = record[key];
    const next = normaliseMember(value);
    if (copy === undefined && next !== value) {
      copy = keys.slice(0, index).map((earlier): [string, unknown] => [earlier, record[earlier]]);
    }
    if (copy !== undefined && next !== DROPPED) copy.push([key, next]);
    index++;
  }
  return copy === undefined ? obj : new JsonObject(copy);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findMember(entries: Array<[string, unknown]>, key: string): [string, unknown] | undefined {
  return entries.find((entry) => entry[0] === key);
}

/** Python `d[key] = value`: replace in place, or append. */
function setMember(entries: Array<[string, unknown]>, key: string, value: unknown): void {
  const member = findMember(entries, key);
  if (member === undefined) entries.push([key, value]);
  else member[1] = value;
}
