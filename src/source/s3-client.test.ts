import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceError } from '../errors.js';
import { createS3Client } from './s3-client.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** No credentials anywhere: empty env, missing shared files, no instance metadata. */
function withoutCredentials(): void {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(tmpdir(), 'ctindex-no-such-credentials'));
  vi.stubEnv('AWS_CONFIG_FILE', join(tmpdir(), 'ctindex-no-such-config'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

describe('createS3Client', () => {
  it('uses path-style addressing and us-east-1 for a custom endpoint', async () => {
    const client = createS3Client({ endpoint: 'http://127.0.0.1:5000', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    expect(client.config.forcePathStyle).toBe(true);
    expect(await client.config.region()).toBe('us-east-1');
    expect(await client.config.maxAttempts()).toBe(5);
  });

  it('honours explicit region, path style and attempts', async () => {
    const client = createS3Client({ region: 'eu-west-1', endpoint: 'http://minio:9000', forcePathStyle: false, maxAttempts: 2 });
    expect(client.config.forcePathStyle).toBe(false);
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(2);
  });

  it('reads static credentials from the environment through the default chain', async () => {
    withoutCredentials();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLEEXAMPLE00');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const client = createS3Client({ region: 'us-east-1' });
    expect(await client.config.credentials()).toMatchObject({ accessKeyId: 'AKIAEXAMPLEEXAMPLE00' });
  });

  it('turns a failed credential chain into a one-line SourceError without secrets', async () => {
    withoutCredentials();
    const client = createS3Client({ region: 'us-east-1', profile: 'ctindex-missing-profile' });
    const error = await client.config.credentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'credentials' });
    expect((error as Error).message).toMatch(/^Cannot load AWS credentials from profile "ctindex-missing-profile": /);
    expect((error as Error).message).not.toContain('\n');
  });

  it('names the role when assuming it fails', async () => {
    withoutCredentials();
    const client = createS3Client({ region: 'us-east-1', roleArn: 'arn:aws:iam::111122223333:role/reader', externalId: 'x' });
    const error = await client.config.credentials().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'credentials' });
    expect((error as Error).message).toMatch(/^Cannot assume role arn:aws:iam::111122223333:role\/reader with credentials from the default credential chain: /);
  });
});
