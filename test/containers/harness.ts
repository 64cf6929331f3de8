// What the container tests share besides the engine: steps timed into a table, ports, JSON over HTTP.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import Table from 'cli-table3';
import type { Logger } from 'pino';

export class Steps {
  private readonly rows: [string, string, string][] = [];

  constructor(private readonly logger: Logger) {}

  /** Runs one step, logs and records how long it took and what it found. */
  async time<T>(step: string, work: () => Promise<T>, detail: (result: T) => string = () => ''): Promise<T> {
    const startedAt = Date.now();
    const result = await work();
    const seconds = (Date.now() - startedAt) / 1000;
    this.rows.push([step, seconds.toFixed(1), detail(result)]);
    this.logger.info({ step, seconds }, 'done');
    return result;
  }

  /** A finding with no time of its own. */
  note(step: string, detail: string): void {
    this.rows.push([step, '', detail]);
  }

  table(): string {
    const table = new Table({ head: ['step', 'seconds', ''], style: { head: [], border: [] } });
    table.push(...this.rows);
    return table.toString();
  }
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Fails naming every port that is taken, and what it was for. */
export async function requireFreePorts(ports: Record<number, string>): Promise<void> {
  const taken = [];
  for (const [port, purpose] of Object.entries(ports)) if (!(await portFree(Number(port)))) taken.push(`${port} (${purpose})`);
  if (taken.length > 0) throw new Error(`ports taken on 127.0.0.1: ${taken.join(', ')}; stop what holds them and run again`);
}

/** The first of `count` consecutive free ports from `from`. */
export async function freePorts(from: number, count = 1): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    const ports = Array.from({ length: count }, (_, i) => port + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return port;
  }
  throw new Error(`no ${count} free ports on 127.0.0.1 from ${from}`);
}

/** The JSON body of a 2xx answer; null for anything else, also when nothing answers yet. */
export async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

/** Listening TCP sockets on the given ports, from /proc/net/tcp and tcp6 (the host's, shared with the containers). */
export function listeningAddresses(ports: number[]): { address: string; port: number }[] {
  const LISTEN = '0A';
  const found: { address: string; port: number }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local === undefined || state !== LISTEN) continue;
      const [hex = '', portHex = ''] = local.split(':');
      const port = parseInt(portHex, 16);
      if (ports.includes(port)) found.push({ address: decodeAddress(hex), port });
    }
  }
  return found;
}

/** /proc/net's little-endian hex: 0100007F is 127.0.0.1; an IPv4-mapped IPv6 address reads as its IPv4 one. */
export function decodeAddress(hex: string): string {
  const ipv4 = (word: string) => [6, 4, 2, 0].map((i) => parseInt(word.slice(i, i + 2), 16)).join('.');
  if (hex.length === 8) return ipv4(hex);
  if (hex.slice(0, 24) === '0000000000000000FFFF0000') return ipv4(hex.slice(24));
  return hex === '00000000000000000000000001000000' ? '::1' : `[${hex}]`;
}
