import http from 'node:http';
import { request } from 'undici';
const mode = process.argv[2];
let received = 0;
const server = http.createServer((req, res) => {
  req.socket.on('data', (c) => { received += c.length; });
  const body = '{"resp":-1.1}';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body);
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  try {
    const r = await request(`http://127.0.0.1:${port}/`, { method: 'POST', body: Buffer.alloc(200*1024*1024, 0x20) });
    console.log(await r.body.text());
  } catch (e) { console.log(e.code, e.message); }
  await new Promise(r => setTimeout(r, 500));
  console.log('server received', received);
  server.close(); process.exit(0);
});
