import { createServer } from 'node:net';
import { decodeAddress, listeningAddresses } from './harness';

describe('listening addresses, as /proc/net/tcp and tcp6 write them', () => {
  it('decodes IPv4, IPv4-mapped IPv6 and IPv6 loopback, and leaves other IPv6 addresses as hex', () => {
    expect(decodeAddress('0100007F')).toBe('127.0.0.1');
    expect(decodeAddress('00000000')).toBe('0.0.0.0');
    expect(decodeAddress('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(decodeAddress('00000000000000000000000001000000')).toBe('::1');
    expect(decodeAddress('00000000000000000000000000000000')).toBe('[00000000000000000000000000000000]');
  });

  it("finds a server's listener on its port and address", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(listeningAddresses([port])).toEqual([{ address: '127.0.0.1', port }]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(listeningAddresses([port])).toEqual([]);
  });
});
