// Raw HTTP over a socket, for what fetch will not send: malformed requests, traversal paths,
// slow bodies, pipelining.
import net from 'node:net';

// Sends the bytes (a string, a Buffer, or an array of them sent with pauses) and resolves with
// everything the server sent until it closed or the timeout passed.
export function rawRequest(port, chunks, { timeout = 5000, pauseMs = 0, onConnected } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const parts = Array.isArray(chunks) ? chunks : [chunks];
    let data = Buffer.alloc(0);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(data.toString('latin1'));
    };
    const timer = setTimeout(finish, timeout);
    sock.on('data', (d) => { data = Buffer.concat([data, d]); });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', finish);
    sock.on('connect', async () => {
      if (onConnected) await onConnected(sock);
      for (const p of parts) {
        if (done) return;
        sock.write(p);
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      }
    });
  });
}

// "HTTP/1.1 404 Not Found\r\n..." → { status, headers, body }
export function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/1.1 ') || end < 0) return { status: 0, headers: {}, body: text };
  const lines = text.slice(0, end).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers, body: text.slice(end + 4) };
}
