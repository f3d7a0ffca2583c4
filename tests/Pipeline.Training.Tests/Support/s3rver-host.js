'use strict';
// Runs s3rver (the npm devDependency pinned in the root package.json) for the training tests: bound to 127.0.0.1 on a
// port the OS picks, with the given buckets, storing objects under the given directory. Prints one line,
// {"port":N}, once it listens; stops when its standard input closes (the test fixture closes it, and a test process
// that dies closes it too) or on SIGTERM.
//
//   node s3rver-host.js <directory> <bucket> [<bucket> ...]
const S3rver = require('s3rver');

async function main() {
  const [directory, ...buckets] = process.argv.slice(2);
  if (!directory || buckets.length === 0) {
    throw new Error('usage: node s3rver-host.js <directory> <bucket> [<bucket> ...]');
  }

  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  process.stdout.write(JSON.stringify({ port }) + '\n');

  let stopping = false;
  const stop = () => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.close().then(() => process.exit(0), () => process.exit(1));
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
