'use strict';
// Runs kinesalite (the npm devDependency pinned in the root package.json) for the producer tests: bound to 127.0.0.1
// on a port the OS picks (its CLI would bind every interface), in memory, with the given streams created and ACTIVE.
// Prints one line, {"port":N}, once they are; stops when its standard input closes or on SIGTERM.
//
//   node kinesalite-host.js <stream>:<shards> [<stream>:<shards> ...]
const http = require('http');
const kinesalite = require('kinesalite');

function call(port, action, body) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `Kinesis_20131202.${action}`,
        'X-Amz-Date': '20260101T000000Z',
        // kinesalite checks that a request is signed, not the signature.
        Authorization: 'AWS4-HMAC-SHA256 Credential=LOCAL/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0',
        'Content-Length': Buffer.byteLength(payload),
      },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => (response.statusCode === 200 ? resolve(text ? JSON.parse(text) : {}) : reject(new Error(`${action}: ${response.statusCode} ${text}`))));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

async function main() {
  const streams = process.argv.slice(2).map((arg) => {
    const [name, shards] = arg.split(':');
    return { name, shards: Number(shards || 1) };
  });
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  for (const stream of streams) {
    await call(port, 'CreateStream', { StreamName: stream.name, ShardCount: stream.shards });
    for (let i = 0; i < 100; i++) {
      const summary = await call(port, 'DescribeStreamSummary', { StreamName: stream.name });
      if (summary.StreamDescriptionSummary.StreamStatus === 'ACTIVE') {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  process.stdout.write(JSON.stringify({ port }) + '\n');

  let stopping = false;
  const stop = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.close(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + '\n');
  process.exit(1);
});
