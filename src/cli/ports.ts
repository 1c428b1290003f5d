/** Port choice for `npm start`: the documented default, a free one when the default is taken, or an exact error. */
import net from 'node:net';

/** Whether 127.0.0.1:port can be bound now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export interface PortChoice {
  port: number;
  /** Set when the default was taken and another port is used instead. */
  note?: string;
}

/**
 * `explicit` ports (given with the flag) must be free: otherwise an error naming the flag. A default port that is
 * taken falls back to 0 (any free port), with a note saying which flag pins it.
 */
export async function choosePort(flag: string, requested: number | undefined, fallbackDefault: number): Promise<PortChoice> {
  if (requested !== undefined) {
    if (requested === 0 || (await isPortFree(requested))) return { port: requested };
    throw new PortInUseError(`${flag} ${requested}: port ${requested} on 127.0.0.1 is in use; pass another (${flag} 0 picks a free one)`);
  }
  if (await isPortFree(fallbackDefault)) return { port: fallbackDefault };
  return { port: 0, note: `port ${fallbackDefault} is in use (another npm start?): using a free port instead; ${flag} <n> pins one` };
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}
