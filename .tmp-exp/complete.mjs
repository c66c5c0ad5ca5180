import http from 'node:http';
const server = http.createServer((req, res) => {
  console.log(req.method, 'complete at handler:', req.complete, req.headers['content-length']);
  res.setHeader('content-type','application/json'); res.end('{"resp":-1.1}');
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  for (const [m, b] of [['GET'], ['HEAD'], ['POST', '{"a":1}'], ['PUT', 'x'.repeat(100000)]]) {
    const r = await fetch(`http://127.0.0.1:${port}/`, { method: m, body: b });
    console.log(m, r.status, JSON.stringify(await r.text()).slice(0,40), r.headers.get('content-length'));
  }
  server.close();
});
