// Finds the real Elasticsearch and S3 API servers the integration tests run against, in order:
// ES_URL / CTINDEX_S3_ENDPOINT from the environment; the `.services/env` file written by
// `npm run services:start`; containers through testcontainers when a Docker engine answers.
// Otherwise it fails with one line naming the command that starts the services.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ServiceEndpoints {
  readonly esUrl: string;
  readonly s3Endpoint: string;
  /** Stops containers this process started; a no-op for external services. */
  readonly stop: () => Promise<void>;
}

const ENV_FILE = fileURLToPath(new URL('../../.services/env', import.meta.url));

function readEnvFile(): Record<string, string> {
  if (!existsSync(ENV_FILE)) return {};
  const pairs = readFileSync(ENV_FILE, 'utf8')
    .split('\n')
    .map((line) => line.split('='))
    .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== '');
  return Object.fromEntries(pairs);
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function dockerAvailable(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainers(): Promise<ServiceEndpoints> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    config: { elasticsearchVersion: string };
  };
  const es = await new GenericContainer(`docker.elastic.co/elasticsearch/elasticsearch:${pkg.config.elasticsearchVersion}`)
    .withEnvironment({
      'discovery.type': 'single-node',
      'xpack.security.enabled': 'false',
      'cluster.routing.allocation.disk.threshold_enabled': 'false',
      ES_JAVA_OPTS: '-Xms1g -Xmx1g',
    })
    .withExposedPorts(9200)
    .withWaitStrategy(Wait.forHttp('/_cluster/health', 9200))
    .start();
  const minio = await new GenericContainer('minio/minio:latest')
    .withCommand(['server', '/data'])
    .withEnvironment({ MINIO_ROOT_USER: 'test', MINIO_ROOT_PASSWORD: 'testtesttest' })
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp('/minio/health/live', 9000))
    .start();
  return {
    esUrl: `http://${es.getHost()}:${es.getMappedPort(9200)}`,
    s3Endpoint: `http://${minio.getHost()}:${minio.getMappedPort(9000)}`,
    stop: async () => {
      await Promise.all([es.stop(), minio.stop()]);
    },
  };
}

export async function resolveServiceEndpoints(): Promise<ServiceEndpoints> {
  const file = readEnvFile();
  const esUrl = process.env.ES_URL ?? file.ES_URL;
  const s3Endpoint = process.env.CTINDEX_S3_ENDPOINT ?? file.CTINDEX_S3_ENDPOINT;
  if (esUrl && s3Endpoint && (await answers(esUrl)) && (await answers(s3Endpoint))) {
    return { esUrl, s3Endpoint, stop: async () => {} };
  }
  if (await dockerAvailable()) return startContainers();
  throw new Error(
    `Integration tests need Elasticsearch and an S3 API server${esUrl ? ` (not answering at ${esUrl} / ${s3Endpoint})` : ''}: run \`npm run services:start\` first.`,
  );
}
