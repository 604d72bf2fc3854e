import { describe, expect, it } from 'vitest';
import { SourceError } from '../errors.js';
import { toSourceError, type S3CallContext } from './s3-errors.js';

const LIST: S3CallContext = { operation: 'ListObjectsV2', bucket: 'trail-bucket', endpoint: 'http://127.0.0.1:5000' };
const GET: S3CallContext = { operation: 'GetObject', bucket: 'trail-bucket', key: 'AWSLogs/x.json.gz', endpoint: 'AWS S3 (eu-west-1)' };

/** An error shaped like the SDK's service exceptions. */
function sdkError(name: string, status: number | undefined, message = 'message', attempts = 1): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts } });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5000`), { code, $metadata: { attempts: 5 } });
}

describe('toSourceError', () => {
  it.each([
    ['NoSuchBucket', sdkError('NoSuchBucket', 404), LIST, 'bucket_not_found', 'S3 bucket "trail-bucket" does not exist at http://127.0.0.1:5000.'],
    ['NoSuchKey', sdkError('NoSuchKey', 404), GET, 'object_not_found', 's3://trail-bucket/AWSLogs/x.json.gz does not exist at AWS S3 (eu-west-1).'],
    [
      'AccessDenied',
      sdkError('AccessDenied', 403),
      LIST,
      'access_denied',
      'Access denied: ListObjectsV2 on bucket "trail-bucket" at http://127.0.0.1:5000 (AccessDenied); check the IAM and bucket policies.',
    ],
    [
      'a bare 403',
      sdkError('Forbidden', 403),
      GET,
      'access_denied',
      'Access denied: GetObject on s3://trail-bucket/AWSLogs/x.json.gz at AWS S3 (eu-west-1) (Forbidden); check the IAM and bucket policies.',
    ],
    [
      'InvalidAccessKeyId',
      sdkError('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'),
      LIST,
      'credentials',
      'S3 at http://127.0.0.1:5000 rejected the credentials (InvalidAccessKeyId) for bucket "trail-bucket": check the access key, profile or role.',
    ],
    [
      'SignatureDoesNotMatch',
      sdkError('SignatureDoesNotMatch', 403),
      LIST,
      'credentials',
      'S3 at http://127.0.0.1:5000 rejected the credentials (SignatureDoesNotMatch) for bucket "trail-bucket": check the access key, profile or role.',
    ],
    [
      'ExpiredToken',
      sdkError('ExpiredToken', 400),
      LIST,
      'credentials',
      'S3 at http://127.0.0.1:5000 rejected the credentials (ExpiredToken) for bucket "trail-bucket": check the access key, profile or role.',
    ],
    [
      'PermanentRedirect',
      sdkError('PermanentRedirect', 301),
      LIST,
      'wrong_region',
      'S3 bucket "trail-bucket" is not in the configured region at http://127.0.0.1:5000 (PermanentRedirect); set --region.',
    ],
    [
      'ECONNREFUSED',
      networkError('ECONNREFUSED'),
      LIST,
      'endpoint_unreachable',
      'Cannot reach the S3 endpoint http://127.0.0.1:5000 for bucket "trail-bucket" after 5 attempts (ECONNREFUSED).',
    ],
    ['ENOTFOUND', networkError('ENOTFOUND'), LIST, 'endpoint_unreachable', 'Cannot reach the S3 endpoint http://127.0.0.1:5000 for bucket "trail-bucket" after 5 attempts (ENOTFOUND).'],
    [
      'a 503 after retries',
      sdkError('SlowDown', 503, 'Please reduce your request rate.', 5),
      LIST,
      's3_unavailable',
      'S3 at http://127.0.0.1:5000 answered 503 SlowDown to ListObjectsV2 on bucket "trail-bucket" after 5 attempts.',
    ],
    [
      'anything else, first line only',
      sdkError('InvalidArgument', 400, 'Bad thing\n<Error><Code>InvalidArgument</Code></Error>'),
      LIST,
      's3_error',
      'ListObjectsV2 on bucket "trail-bucket" at http://127.0.0.1:5000 failed: InvalidArgument: Bad thing',
    ],
  ])('maps %s to %s', (_, error, call, code, message) => {
    const mapped = toSourceError(error, call);
    expect(mapped).toBeInstanceOf(SourceError);
    expect({ code: mapped.code, message: mapped.message }).toEqual({ code, message });
    expect(mapped.message).not.toContain('\n');
    expect(mapped.context).toMatchObject({ bucket: 'trail-bucket', endpoint: call.endpoint, operation: call.operation });
  });

  it('passes a SourceError (for example from the credential provider) through unchanged', () => {
    const original = new SourceError('credentials', 'Cannot load AWS credentials');
    expect(toSourceError(original, LIST)).toBe(original);
  });

  it('keeps the original error as the cause', () => {
    const error = sdkError('NoSuchBucket', 404);
    expect(toSourceError(error, LIST).cause).toBe(error);
  });
});
