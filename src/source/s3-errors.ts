// Turns AWS SDK and network errors into one-line `SourceError`s with stable codes. The message
// names the bucket (and key) and the endpoint; it never repeats credentials, and SDK messages are
// cut to their first line so no XML or stack reaches the terminal.
import { CtindexError, SourceError } from '../errors.js';

/** Where the failing call went; all of it may appear in messages and logs. */
export interface S3CallContext {
  readonly operation: 'ListObjectsV2' | 'GetObject' | 'DeleteObject' | 'PutObject' | 'HeadBucket' | 'CreateBucket';
  readonly bucket: string;
  readonly key?: string;
  /** `http://127.0.0.1:5000` or `AWS S3 (eu-west-1)`. */
  readonly endpoint: string;
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
const CREDENTIAL_ERRORS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
  'InvalidClientTokenId',
  'ExpiredTokenException',
]);
const ACCESS_ERRORS = new Set(['AccessDenied', 'AllAccessDisabled', 'AccountProblem', 'InvalidObjectState']);
const REGION_ERRORS = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException']);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
}

/** Maps any error thrown by an S3 call to a `SourceError`; `CtindexError`s pass through unchanged. */
export function toSourceError(error: unknown, call: S3CallContext): CtindexError {
  if (error instanceof CtindexError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const netCode = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const attempts = typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined;
  const detail = firstLine(typeof e.message === 'string' ? e.message : String(error));
  const where = call.key === undefined ? `bucket "${call.bucket}"` : `s3://${call.bucket}/${call.key}`;
  const context = {
    operation: call.operation,
    bucket: call.bucket,
    key: call.key,
    endpoint: call.endpoint,
    awsCode: name,
    httpStatus: status,
  };
  const make = (code: string, message: string) => new SourceError(code, message, context, { cause: error });

  if (name === 'NoSuchBucket') return make('bucket_not_found', `S3 bucket "${call.bucket}" does not exist at ${call.endpoint}.`);
  if (name === 'NoSuchKey' || (status === 404 && call.key !== undefined)) {
    return make('object_not_found', `${where} does not exist at ${call.endpoint}.`);
  }
  if (status === 404 && call.operation === 'HeadBucket') {
    return make('bucket_not_found', `S3 bucket "${call.bucket}" does not exist at ${call.endpoint}.`);
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return make('credentials', `S3 at ${call.endpoint} rejected the credentials (${name}) for ${where}: check the access key, profile or role.`);
  }
  if (ACCESS_ERRORS.has(name) || status === 403) {
    return make('access_denied', `Access denied: ${call.operation} on ${where} at ${call.endpoint} (${name}); check the IAM and bucket policies.`);
  }
  if (REGION_ERRORS.has(name) || status === 301) {
    return make('wrong_region', `S3 bucket "${call.bucket}" is not in the configured region at ${call.endpoint} (${name}); set --region.`);
  }
  if ((netCode !== undefined && NETWORK_CODES.has(netCode)) || name === 'TimeoutError' || (status === undefined && netCode !== undefined)) {
    const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
    return make('endpoint_unreachable', `Cannot reach the S3 endpoint ${call.endpoint} for ${where}${tries} (${netCode ?? name}).`);
  }
  if (status !== undefined && status >= 500) {
    const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
    return make('s3_unavailable', `S3 at ${call.endpoint} answered ${status} ${name} to ${call.operation} on ${where}${tries}.`);
  }
  return make('s3_error', `${call.operation} on ${where} at ${call.endpoint} failed: ${name}: ${detail}`);
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
