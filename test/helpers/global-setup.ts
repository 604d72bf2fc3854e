// Vitest global setup for the integration project: resolves the real services once and hands
// their URLs to every test file through `inject('esUrl')` / `inject('s3Endpoint')`.
import type { TestProject } from 'vitest/node';
import { resolveServiceEndpoints } from './service-endpoints.js';

declare module 'vitest' {
  export interface ProvidedContext {
    esUrl: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = await resolveServiceEndpoints();
  project.provide('esUrl', services.esUrl);
  project.provide('s3Endpoint', services.s3Endpoint);
  return services.stop;
}
