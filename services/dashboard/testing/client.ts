// A socket.io client as a browser page would hold one, for the server's tests.
import { io as connect, type Socket } from 'socket.io-client';
import type { DashboardFrame } from '../protocol';

export function connectClient(url: string): Socket {
  return connect(url, { transports: ['websocket'], reconnection: false });
}

/** The next frame of that kind which passes `where`; rejects after `timeoutMs` rather than hang a test. */
export function nextFrame(
  socket: Socket,
  event: 'snapshot' | 'update',
  where: (frame: DashboardFrame) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<DashboardFrame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} frame within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (frame: DashboardFrame) => {
      if (!where(frame)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(frame);
    };
    socket.on(event, listener);
  });
}
