import http from 'node:http';
import { request } from 'undici';
const mode = process.argv[2];
const server = http.createServer((req, res) => {
  let size = 0; let done = false;
  const over = () => {
    if (done) return; done = true;
    req.pause(); req.removeAllListeners('data');
    const body = '{"resp":-1.1}';
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body, () => { if (mode === 'destroy') req.socket.destroy(); });
  };
  if (Number(req.headers['content-length']) > 1024*1024) return over();
  req.on('data', (c) => { size += c.length; if (size > 1024*1024) over(); });
  req.on('end', () => { if (!done) { done = true; res.end('{"resp":1}'); } });
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  let ok = 0, fail = 0;
  for (let i = 0; i < 30; i++) {
    try {
      const body = i % 2 ? Buffer.alloc(2*1024*1024, 0x20) : (async function*(){ for (let j=0;j<64;j++) yield Buffer.alloc(32*1024, 0x20); })();
      const r = await request(`http://127.0.0.1:${port}/`, { method: 'POST', body });
      const t = await r.body.text(); if (t.includes('-1.1')) ok++; else { fail++; console.log(t) }
    } catch (e) { fail++; console.log(i, e.code, e.message); }
  }
  console.log(mode, 'ok', ok, 'fail', fail);
  server.close(); process.exit(0);
});
