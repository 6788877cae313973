import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";

export interface ReplayServer {
  url: string;
  /** Raw request heads (request line + headers) as received. */
  requests: string[];
  /** Request bodies, decoded as text. */
  bodies: string[];
  close(): Promise<void>;
}

/**
 * Answers every request with the same captured bytes, verbatim, then closes the connection
 * (the captures say `Connection: close` and some carry no Content-Length).
 */
export async function startReplayServer(raw: Buffer): Promise<ReplayServer> {
  const requests: string[] = [];
  const bodies: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    let answered = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const headEnd = buffered.indexOf("\r\n\r\n");
      if (answered || headEnd < 0) return;
      const head = buffered.subarray(0, headEnd).toString("latin1");
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      answered = true;
      requests.push(head);
      bodies.push(buffered.subarray(headEnd + 4, headEnd + 4 + length).toString("utf8"));
      socket.end(raw);
    });
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Header value from a raw request head, case-insensitive. */
export function headerOf(head: string, name: string): string | undefined {
  for (const line of head.split("\r\n").slice(1)) {
    const colon = line.indexOf(":");
    if (line.slice(0, colon).toLowerCase() === name.toLowerCase()) return line.slice(colon + 1).trim();
  }
  return undefined;
}
