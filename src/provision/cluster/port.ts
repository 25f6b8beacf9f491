/** Detects a taken host port before kind tries to bind it and fails half-way. */
import { createServer } from 'node:net';
import { PodlawError } from '../../errors.ts';

export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function requirePortFree(port: number): Promise<void> {
  if (await isPortFree(port)) return;
  throw new PodlawError(
    'portTaken',
    `host port 127.0.0.1:${port} is already in use, and the cluster maps its NodePort there`,
    `stop what listens on it (ss -ltnp 'sport = :${port}') and rerun`,
  );
}
