// Builds the one S3 client a run uses: AWS's default credential chain (or a profile), an optional
// assumed role, bounded retries and timeouts. Credentials stay inside the SDK; failures to obtain
// them become a one-line `SourceError` with code `credentials` that names no secret.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { SourceError } from '../errors.js';

type CredentialsInput = NonNullable<S3ClientConfig['credentials']>;
type CredentialProvider = Extract<CredentialsInput, (...args: never[]) => unknown>;
/** Access key id, secret and optional session token. */
export type StaticCredentials = Exclude<CredentialsInput, CredentialProvider>;

export interface S3ClientOptions {
  /** AWS region; default: the SDK's resolution (AWS_REGION, profile), else `us-east-1` with a custom endpoint. */
  readonly region?: string;
  /** S3-compatible endpoint URL (MinIO, moto, LocalStack); default: AWS. */
  readonly endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`); default: true when `endpoint` is set. */
  readonly forcePathStyle?: boolean;
  /** Shared config/credentials profile (`--profile`); default: AWS_PROFILE or `default`. */
  readonly profile?: string;
  /** Role to assume with STS on top of the base credentials. */
  readonly roleArn?: string;
  /** ExternalId for the assumed role (third-party access). */
  readonly externalId?: string;
  /** Session name for the assumed role; default `ctindex`. */
  readonly roleSessionName?: string;
  /** Static credentials instead of the chain (S3-compatible stores, tests). */
  readonly credentials?: StaticCredentials;
  /** Attempts per request including the first, with the SDK's jittered backoff; default 5. */
  readonly maxAttempts?: number;
  /** TCP connect timeout in ms; default 5,000. */
  readonly connectionTimeoutMs?: number;
  /** Time to response headers in ms; default 30,000. */
  readonly requestTimeoutMs?: number;
  /** Idle time on a socket (for example mid-body) in ms before it is dropped; default 60,000. */
  readonly socketTimeoutMs?: number;
}

export const S3_CLIENT_DEFAULTS = {
  maxAttempts: 5,
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  socketTimeoutMs: 60_000,
  roleSessionName: 'ctindex',
  /** Enough sockets for the pipeline's fetch concurrency plus listings. */
  maxSockets: 64,
} as const;

export function createS3Client(options: S3ClientOptions): S3Client {
  const region = options.region ?? (options.endpoint ? 'us-east-1' : undefined);
  const agent = { keepAlive: true, maxSockets: S3_CLIENT_DEFAULTS.maxSockets };
  return new S3Client({
    ...(region ? { region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    // A bucket in another region answers 301; let the SDK retry there instead of failing.
    followRegionRedirects: true,
    credentials: credentialProvider(options, region),
    maxAttempts: options.maxAttempts ?? S3_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? S3_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? S3_CLIENT_DEFAULTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: options.socketTimeoutMs ?? S3_CLIENT_DEFAULTS.socketTimeoutMs,
      httpAgent: agent,
      httpsAgent: agent,
    },
  });
}

function credentialProvider(options: S3ClientOptions, region: string | undefined): CredentialsInput {
  if (options.credentials) return options.credentials;
  // env, shared config/credentials (profile), SSO, web identity (IRSA), ECS/EKS container, EC2 IMDS.
  const base = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const source = options.profile ? `profile "${options.profile}"` : 'the default credential chain';
  if (!options.roleArn) return explainFailures(base, `Cannot load AWS credentials from ${source}`);
  const assumed = fromTemporaryCredentials({
    masterCredentials: base,
    params: {
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName ?? S3_CLIENT_DEFAULTS.roleSessionName,
      ...(options.externalId ? { ExternalId: options.externalId } : {}),
    },
    ...(region ? { clientConfig: { region } } : {}),
  });
  return explainFailures(assumed, `Cannot assume role ${options.roleArn} with credentials from ${source}`);
}

// The SDK memoises the identity (and refreshes it before `expiration`), so this wrapper runs only
// when credentials are actually fetched.
function explainFailures(provider: CredentialProvider, what: string): CredentialProvider {
  return async (props) => {
    try {
      return await provider(props);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const detail = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : String(error);
      throw new SourceError('credentials', `${what}: ${name}: ${detail}`, { awsCode: name }, { cause: error });
    }
  };
}
