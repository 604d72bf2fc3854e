// Turns one CloudTrail record, its rule match and its origin into the document ctindex indexes:
// ECS fields named as Elastic's AWS CloudTrail integration names them (so Elastic's prebuilt
// CloudTrail rules and Sigma's ECS mappings work unchanged), CloudTrail's own fields under
// `aws.cloudtrail.*`, and the Wazuh rule tags under `rule.*`. Pure; it runs once per event.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
// Documents whose rule reaches ALERT_LEVEL are ECS `event.kind: alert`, the rest `event`.
import { ALERT_LEVEL, type RuleMatch } from '../rules/types.js';
import type { RecordOrigin } from '../source/types.js';

/** ECS release whose field definitions the document follows (https://www.elastic.co/guide/en/ecs/current/). */
export const ECS_VERSION = '8.17.0';

/**
 * Levels of nesting kept in the `flattened` copies of open-ended objects. Must equal the fields'
 * `depth_limit` in index-templates/ (Elasticsearch rejects the whole document beyond it, and any
 * document nested deeper than 1000 levels); deeper subtrees are kept as JSON strings instead.
 */
export const FLATTENED_DEPTH_LIMIT = 50;

/**
 * Longest dotted key path kept in a `flattened` copy, in UTF-16 units. A flattened field indexes
 * `path\0value` as one term, and Lucene rejects terms over 32,766 bytes: 8,192 units are at most
 * 24,576 UTF-8 bytes, leaving room for a value under the field's `ignore_above` (1,024).
 */
export const FLATTENED_MAX_PATH = 8192;

export interface EcsMapperOptions {
  /**
   * `event.created` / `event.ingested` (ISO 8601). Callers that map a batch may pass one value for
   * all of it; the default is the current time.
   */
  readonly ingestedAt?: string;
}

export interface EcsDocument {
  /** `_id`: the eventID, or a hash of the record when it has none (see `recordId`). */
  readonly id: string;
  readonly doc: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** Top-level CloudTrail keys this mapper places; any other key goes to `ctindex.unmapped`. */
const MAPPED_KEYS = new Set([
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress',
  'userAgent', 'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData',
  'requestID', 'eventID', 'readOnly', 'resources', 'eventType', 'apiVersion', 'managementEvent',
  'recipientAccountId', 'serviceEventDetails', 'sharedEventID', 'vpcEndpointId', 'eventCategory', 'tlsDetails',
]);

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** Elasticsearch's `_id` limit, in bytes. */
const MAX_ID_BYTES = 512;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Scalars as keyword text; objects and arrays are not scalars and give undefined. */
function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** CloudTrail's console-login flags are "Yes"/"No". */
function yesNo(value: unknown): boolean | undefined {
  if (value === 'Yes') return true;
  if (value === 'No') return false;
  return undefined;
}

/** CloudTrail times are already ISO 8601 UTC; anything else parseable is normalised, the rest dropped. */
function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (CANONICAL_TIME.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Open-ended objects as the JSON text ECS keeps them in (`aws.cloudtrail.request_parameters` …). */
function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fitsFlattened(value: unknown, depth: number, pathLength: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  // Arrays count as a level too: stricter than Elasticsearch's flattened depth, which only counts
  // objects, and it also keeps the document under the parser's 1000-level nesting limit.
  if (depth > FLATTENED_DEPTH_LIMIT) return false;
  if (Array.isArray(value)) return value.every((item) => fitsFlattened(item, depth + 1, pathLength));
  for (const key in value) {
    const path = pathLength + key.length + 1;
    if (path > FLATTENED_MAX_PATH || !fitsFlattened((value as Json)[key], depth + 1, path)) return false;
  }
  return true;
}

/** Copy of `value` within the flattened limits: deep subtrees become JSON text, over-long paths are left out. */
function boundFlattened(value: unknown, depth: number, pathLength: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > FLATTENED_DEPTH_LIMIT) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map((item) => boundFlattened(item, depth + 1, pathLength));
  // A null prototype, so a `__proto__` key from the JSON stays an ordinary key.
  const out = Object.create(null) as Json;
  for (const key in value) {
    const path = pathLength + key.length + 1;
    if (path <= FLATTENED_MAX_PATH) out[key] = boundFlattened((value as Json)[key], depth + 1, path);
  }
  return out;
}

/**
 * The object for a `flattened` field (one mapping entry, however many keys: no mapping explosion).
 * Nearly every record fits, and is passed through without copying.
 */
function flattened(value: unknown): Json | undefined {
  const o = obj(value);
  if (o === undefined) return undefined;
  return fitsFlattened(o, 1, 0) ? o : (boundFlattened(o, 1, 0) as Json);
}

/** JSON with object keys sorted at every level: equal records give equal text whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Json;
    const parts = Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `_id` of a record: its eventID, which CloudTrail guarantees unique per event. Records without a
 * usable one (missing, empty, or over Elasticsearch's 512-byte `_id` limit) get the base64url
 * SHA-256 of their canonical JSON, so re-reading the same file (a re-sync, an overlapping lookback
 * window, a second delivery) yields the same `_id` and the event is still indexed only once.
 */
export function recordId(record: Json): string {
  const eventId = record.eventID;
  if (typeof eventId === 'string' && eventId !== '' && (eventId.length <= MAX_ID_BYTES / 4 || Buffer.byteLength(eventId) <= MAX_ID_BYTES)) {
    return eventId;
  }
  return createHash('sha256').update(canonicalJson(record)).digest('base64url');
}

interface Categorization {
  readonly category: readonly string[];
  readonly type: readonly string[];
}

const AUTH_START = new Set([
  'signin.amazonaws.com/ConsoleLogin', 'signin.amazonaws.com/SwitchRole',
  'sts.amazonaws.com/AssumeRole', 'sts.amazonaws.com/AssumeRoleWithSAML', 'sts.amazonaws.com/AssumeRoleWithWebIdentity',
  'sts.amazonaws.com/GetSessionToken', 'sts.amazonaws.com/GetFederationToken',
]);
const CONFIGURATION_SOURCES = new Set(['cloudtrail.amazonaws.com', 'config.amazonaws.com']);

/** ECS `event.type` of an API action, from its verb (CreateUser → creation, ListUsers → info …). */
function verbType(action: string, readVerbs: RegExp): string {
  if (action.startsWith('Create')) return 'creation';
  if (action.startsWith('Delete')) return 'deletion';
  return readVerbs.test(action) ? 'info' : 'change';
}
const IAM_READ = /^(?:Get|List|Generate|Simulate)/;
const CONFIG_READ = /^(?:Get|List|Describe|Lookup|Select)/;

/**
 * ECS categorization (https://www.elastic.co/guide/en/ecs/current/ecs-allowed-values-event-category.html)
 * where the action says it unambiguously: sign-ins and credential issuance are `authentication`,
 * IAM calls `iam`, CloudTrail/Config changes `configuration`. Other services get none.
 */
function categorize(provider: string, action: string): Categorization | null {
  if (AUTH_START.has(`${provider}/${action}`)) return { category: ['authentication'], type: ['start'] };
  if (provider === 'iam.amazonaws.com') {
    const type = [verbType(action, IAM_READ)];
    if (action.includes('User')) type.push('user');
    if (action.includes('Group')) type.push('group');
    return { category: ['iam'], type };
  }
  if (CONFIGURATION_SOURCES.has(provider)) return { category: ['configuration'], type: [verbType(action, CONFIG_READ)] };
  return null;
}

/** Distinct (eventSource, eventName) pairs number in the low thousands: computed once each. */
const categorizations = new Map<string, Categorization | null>();
const MAX_CACHED_CATEGORIZATIONS = 10_000;

function cachedCategorize(provider: string | undefined, action: string | undefined): Categorization | null {
  if (provider === undefined || action === undefined) return null;
  const key = `${provider}\u0000${action}`;
  let hit = categorizations.get(key);
  if (hit === undefined) {
    if (categorizations.size >= MAX_CACHED_CATEGORIZATIONS) categorizations.clear();
    const found = categorize(provider, action);
    // Frozen: the same arrays are shared by every document of that action.
    hit = found && Object.freeze({ category: Object.freeze(found.category), type: Object.freeze(found.type) });
    categorizations.set(key, hit);
  }
  return hit;
}

/** `log.file.path`: `s3://bucket/key`, or the file path for a local source (a bucket name never holds `/`, `\` or `:`). */
function filePath(origin: RecordOrigin): string {
  if (/[/\\:]/.test(origin.bucket)) return origin.bucket.endsWith('/') ? origin.bucket + origin.key : `${origin.bucket}/${origin.key}`;
  return `s3://${origin.bucket}/${origin.key}`;
}

function addUnique(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

function ruleFields(match: RuleMatch): Json {
  return {
    id: match.id,
    level: match.level,
    description: match.description,
    groups: match.groups,
    pci_dss: match.pci_dss,
    gdpr: match.gdpr,
    hipaa: match.hipaa,
    nist_800_53: match.nist_800_53,
    tsc: match.tsc,
    cis: match.cis,
    gpg13: match.gpg13,
    mitre: match.mitre && { id: match.mitre.id, tactic: match.mitre.tactic, technique: match.mitre.technique },
    firedtimes: match.firedtimes,
    mail: match.mail,
    frequency: match.frequency,
    info: match.info,
    cve: match.cve,
  };
}

function userIdentityFields(identity: Json): Json {
  const context = obj(identity.sessionContext);
  const attributes = obj(context?.attributes);
  const issuer = obj(context?.sessionIssuer);
  return {
    type: str(identity.type),
    arn: str(identity.arn),
    principal_id: str(identity.principalId),
    access_key_id: str(identity.accessKeyId),
    invoked_by: str(identity.invokedBy),
    session_context: context && {
      mfa_authenticated: bool(attributes?.mfaAuthenticated),
      creation_date: isoTime(attributes?.creationDate),
      session_issuer: issuer && {
        type: str(issuer.type),
        principal_id: str(issuer.principalId),
        arn: str(issuer.arn),
        account_id: str(issuer.accountId),
      },
    },
  };
}

/**
 * The document for one record. A record without a parseable eventTime gets no `@timestamp`; the
 * data stream rejects it and the sink dead-letters it with Elasticsearch's reason.
 *
 * Absent values are left as `undefined` properties (JSON serialisation drops them) instead of being
 * deleted, so every document has the same object shapes; optional objects are created only when
 * the record has them.
 */
export function toEcsDocument(record: Json, match: RuleMatch | null, origin: RecordOrigin, options: EcsMapperOptions = {}): EcsDocument {
  const id = recordId(record);
  const ingestedAt = options.ingestedAt ?? new Date().toISOString();
  const provider = str(record.eventSource);
  const action = str(record.eventName);
  const errorCode = str(record.errorCode);
  const identity = obj(record.userIdentity);
  const requestParameters = record.requestParameters;
  const responseElements = record.responseElements;
  const additional = obj(record.additionalEventData);

  // Sign-in events report their result in responseElements ({"ConsoleLogin": "Failure"}), not errorCode.
  let outcome = errorCode === undefined ? 'success' : 'failure';
  if (provider === 'signin.amazonaws.com' && action !== undefined) {
    const result = obj(responseElements)?.[action];
    if (result === 'Failure') outcome = 'failure';
  }

  // user.name: the IAM user; for assumed roles and federated users, the role/user that issued the
  // session (sessionIssuer.userName), as Elastic's integration does; `root` for the root user.
  const issuer = obj(obj(identity?.sessionContext)?.sessionIssuer);
  const identityType = str(identity?.type);
  const userName = str(identity?.userName) ?? str(issuer?.userName) ?? (identityType === 'Root' ? 'root' : undefined);
  const arn = str(identity?.arn);
  const targetUser = provider === 'iam.amazonaws.com' ? str(obj(requestParameters)?.userName) : undefined;
  const relatedUsers: string[] = [];
  addUnique(relatedUsers, userName);
  // The role session name (…:assumed-role/Role/<session>) is usually the human behind the role.
  const sessionStart = arn === undefined ? -1 : arn.lastIndexOf('/');
  if (identityType === 'AssumedRole' && arn !== undefined && sessionStart > 0) addUnique(relatedUsers, arn.slice(sessionStart + 1) || undefined);
  addUnique(relatedUsers, targetUser);

  // source.ip is an `ip` field: only real addresses go there. Services call with their hostname
  // (ec2.amazonaws.com) and some events say "AWS Internal"; ECS keeps the raw value in
  // source.address and a hostname in source.domain (ECS source field set).
  const sourceAddress = str(record.sourceIPAddress);
  const sourceIp = sourceAddress !== undefined && isIP(sourceAddress) !== 0 ? sourceAddress : undefined;
  const sourceDomain = sourceIp === undefined && sourceAddress !== undefined && HOSTNAME.test(sourceAddress) ? sourceAddress : undefined;

  const categorization = cachedCategorize(provider, action);
  const tls = obj(record.tlsDetails);
  const consoleLogin = additional !== undefined && (additional.MFAUsed !== undefined || additional.MobileVersion !== undefined || additional.LoginTo !== undefined)
    ? { additional_eventdata: { mfa_used: yesNo(additional.MFAUsed), mobile_version: yesNo(additional.MobileVersion), login_to: str(additional.LoginTo) } }
    : undefined;

  let unmapped: Json | undefined;
  for (const key in record) {
    if (MAPPED_KEYS.has(key)) continue;
    unmapped ??= Object.create(null) as Json;
    unmapped[key] = record[key];
  }

  const doc: Json = {
    '@timestamp': isoTime(record.eventTime),
    ecs: { version: ECS_VERSION },
    event: {
      id,
      action,
      provider,
      outcome,
      kind: match !== null && match.level >= ALERT_LEVEL ? 'alert' : 'event',
      category: categorization?.category,
      type: categorization?.type,
      module: 'aws',
      dataset: 'aws.cloudtrail',
      created: ingestedAt,
      ingested: ingestedAt,
    },
    cloud: {
      provider: 'aws',
      region: str(record.awsRegion),
      account: { id: str(record.recipientAccountId) ?? str(identity?.accountId) },
    },
    source: sourceAddress === undefined ? undefined : { address: sourceAddress, ip: sourceIp, domain: sourceDomain },
    user: {
      name: userName,
      id: str(identity?.principalId),
      target: targetUser === undefined ? undefined : { name: targetUser },
    },
    user_agent: { original: str(record.userAgent) },
    related: {
      user: relatedUsers.length > 0 ? relatedUsers : undefined,
      ip: sourceIp === undefined ? undefined : [sourceIp],
      hosts: sourceDomain === undefined ? undefined : [sourceDomain],
    },
    log: { file: { path: filePath(origin) } },
    aws: {
      cloudtrail: {
        event_version: str(record.eventVersion),
        event_type: str(record.eventType),
        event_category: str(record.eventCategory),
        api_version: str(record.apiVersion),
        user_identity: identity && userIdentityFields(identity),
        error_code: errorCode,
        error_message: str(record.errorMessage),
        request_id: str(record.requestID),
        shared_event_id: str(record.sharedEventID),
        recipient_account_id: str(record.recipientAccountId),
        management_event: bool(record.managementEvent),
        read_only: bool(record.readOnly),
        vpc_endpoint_id: str(record.vpcEndpointId),
        resources: Array.isArray(record.resources)
          ? record.resources.map((r) => {
            const o = obj(r);
            return { arn: str(o?.ARN), type: str(o?.type), account_id: str(o?.accountId) };
          })
          : undefined,
        tls_details: tls && {
          tls_version: str(tls.tlsVersion),
          cipher_suite: str(tls.cipherSuite),
          client_provided_host_header: str(tls.clientProvidedHostHeader),
        },
        console_login: consoleLogin,
        request_parameters: jsonText(requestParameters),
        response_elements: jsonText(responseElements),
        additional_eventdata: jsonText(record.additionalEventData),
        service_event_details: jsonText(record.serviceEventDetails),
        flattened: {
          request_parameters: flattened(requestParameters),
          response_elements: flattened(responseElements),
          additional_eventdata: flattened(record.additionalEventData),
          service_event_details: flattened(record.serviceEventDetails),
        },
      },
    },
    rule: match === null ? undefined : ruleFields(match),
    ctindex: {
      origin: { bucket: origin.bucket, key: origin.key, record_index: origin.recordIndex },
      unmapped: unmapped && flattened(unmapped),
    },
  };
  return { id, doc };
}
