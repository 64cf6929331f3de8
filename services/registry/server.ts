// Runs the registry app on a loopback port; shared by `npm run registry` and by tests (port 0).
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createRegistryApp, type RegistryAppOptions } from './app';

export interface RegistryServerOptions extends RegistryAppOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface RunningRegistry {
  /** Base URL for clients, e.g. http://127.0.0.1:8081 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startRegistryServer({
  port,
  host = '127.0.0.1',
  ...appOptions
}: RegistryServerOptions): Promise<RunningRegistry> {
  const server = createRegistryApp(appOptions).listen(port, host);
  await once(server, 'listening');
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive connections would otherwise hold close() open until they time out.
        server.closeIdleConnections();
      }),
  };
}
