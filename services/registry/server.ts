// Runs the registry app on a loopback port; shared by `npm run registry` and by tests (port 0).
import { listen, type RunningServer } from '../shared/http';
import { createRegistryApp, type RegistryAppOptions } from './app';

export interface RegistryServerOptions extends RegistryAppOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

/** `url` is the base URL for clients, e.g. http://127.0.0.1:8081. */
export type RunningRegistry = RunningServer;

export function startRegistryServer({ port, host = '127.0.0.1', ...appOptions }: RegistryServerOptions): Promise<RunningRegistry> {
  return listen(createRegistryApp(appOptions), port, host);
}
