// A socket.io client as a browser page would hold one, for the server's tests.
import { io as connect, type Socket } from 'socket.io-client';
import type { DashboardFrame } from '../protocol';

export function connectClient(url: string): Socket {
  return connect(url, { transports: ['websocket'], reconnection: false });
}

/** The next frame of that kind which passes `where`. */
export function nextFrame(socket: Socket, event: 'snapshot' | 'update', where: (frame: DashboardFrame) => boolean = () => true): Promise<DashboardFrame> {
  return new Promise((resolve) => {
    const listener = (frame: DashboardFrame) => {
      if (!where(frame)) return;
      socket.off(event, listener);
      resolve(frame);
    };
    socket.on(event, listener);
  });
}
