// Seeds the real S3 API server with a generated CloudTrail trail and reads back what the tests
// need (object keys), through the project's own S3 client and generator.
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateTrail, type TrailGenerationOptions } from '../../src/demo-data/generate-trail.js';
import { ensureBucket, s3Writer, writeTrail, type TrailWriteSummary } from '../../src/demo-data/write-trail.js';
import { createS3Client } from '../../src/source/s3-client.js';
import { TEST_AWS_ENV } from './cli.js';

export function testS3Client(endpoint: string): S3Client {
  return createS3Client({
    endpoint,
    forcePathStyle: true,
    region: TEST_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: TEST_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_AWS_ENV.AWS_SECRET_ACCESS_KEY },
  });
}

export async function seedTrail(
  client: S3Client,
  bucket: string,
  options: Omit<TrailGenerationOptions, 'bucket'>,
): Promise<TrailWriteSummary> {
  await ensureBucket(client, bucket);
  return writeTrail(generateTrail({ ...options, bucket }), s3Writer(client, bucket));
}

export async function putObject(client: S3Client, bucket: string, key: string, body: Buffer | string): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

export async function listKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** A bucket and namespace name unique to one test. */
export function uniqueName(label: string): string {
  return `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`.toLowerCase().replace(/[^a-z0-9]/g, '');
}
