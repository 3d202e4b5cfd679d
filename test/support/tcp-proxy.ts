/**
 * A loopback TCP proxy whose port never changes, for outage tests: the server behind it is stopped
 * and started again on any free port while clients keep the proxy's address. Restarting a server on
 * its old port instead races every other process on the machine for that port (and a client's own
 * retries for a self-connect), which made the outage test fail in CI only, under the full suite.
 * While it has no upstream, each connection is dropped at once, as a stopped server's is refused.
 */
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Where new connections go; undefined drops them. Changing it drops the connections open now. */
  setUpstream(port: number | undefined): void;
  close(): Promise<void>;
}

export async function startTcpProxy(upstreamPort: number): Promise<TcpProxy> {
  let upstream: number | undefined = upstreamPort;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (upstream === undefined) {
      client.destroy();
      return;
    }
    const target = connect(upstream, '127.0.0.1');
    const pair = [client, target];
    for (const socket of pair) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        for (const other of pair) {
          other.destroy();
          open.delete(other);
        }
      });
    }
    client.pipe(target).pipe(client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    setUpstream(port) {
      upstream = port;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
