#!/usr/bin/env node
// Trims AWS's API models (botocore's service-2.json, Apache-2.0) to what the rehearsal gate needs: for each operation
// the workflows call, the operation and every shape reachable from its input, output and errors. Documentation is
// dropped, so the committed models stay small; everything the mocks validate with (required, enum, pattern, min, max,
// types, list members, error names) is kept as botocore has it.
//
// Usage (botocore from a git directory without a work tree, as the fetch tool leaves it, or a checkout):
//   node tests/rehearsal/models/extract.mjs --git-dir /work/.mirror/boto+botocore/repo [--commit <sha>]
//   node tests/rehearsal/models/extract.mjs --dir /path/to/botocore
// Writes tests/rehearsal/models/<service>.json and NOTICE (the source commit).

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// service file name -> botocore data folder and the operations the workflows (and their .sync polling) call.
export const WANTED = {
  athena: { dir: 'athena/2017-05-18', operations: ['StartQueryExecution', 'GetQueryExecution', 'GetQueryResults'] },
  sagemaker: {
    dir: 'sagemaker/2017-07-24',
    operations: [
      'CreateTrainingJob', 'DescribeTrainingJob',
      'CreateHyperParameterTuningJob', 'DescribeHyperParameterTuningJob',
      'ListModelPackages', 'DescribeModelPackage', 'CreateModelPackage',
    ],
  },
  cloudformation: { dir: 'cloudformation/2010-05-15', operations: ['DescribeStacks', 'UpdateStack', 'DescribeStackEvents'] },
  sns: { dir: 'sns/2010-03-31', operations: ['Publish'] },
  lambda: { dir: 'lambda/2015-03-31', operations: ['Invoke'] },
};

const KEEP_SHAPE_KEYS = ['type', 'required', 'members', 'member', 'key', 'value', 'enum', 'pattern', 'min', 'max', 'error', 'exception', 'fault', 'sensitive', 'streaming', 'timestampFormat', 'payload', 'union', 'box'];
const KEEP_MEMBER_KEYS = ['shape', 'location', 'locationName', 'streaming', 'idempotencyToken', 'deprecated', 'jsonvalue'];

function parseArgs(argv) {
  const opts = { gitDir: undefined, dir: undefined, commit: 'HEAD' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--git-dir') opts.gitDir = argv[++i];
    else if (a === '--dir') opts.dir = argv[++i];
    else if (a === '--commit') opts.commit = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!opts.gitDir === !opts.dir) throw new Error('give exactly one of --git-dir or --dir');
  return opts;
}

function reader(opts) {
  if (opts.dir) return { commit: 'working tree', read: (p) => fs.readFileSync(path.join(opts.dir, p), 'utf8') };
  const git = (...args) => execFileSync('git', ['--git-dir', opts.gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const commit = git('rev-parse', opts.commit).trim();
  return { commit, date: git('show', '-s', '--format=%cI', commit).trim(), read: (p) => git('show', `${commit}:${p}`) };
}

function pick(obj, keys) {
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]]));
}

// The operation and the shapes reachable from it, documentation removed.
export function trim(model, operations) {
  const shapes = {};
  const visit = (name) => {
    if (!name || shapes[name]) return;
    const s = model.shapes[name];
    if (!s) throw new Error(`shape ${name} missing from the model`);
    const kept = pick(s, KEEP_SHAPE_KEYS);
    if (s.members) kept.members = Object.fromEntries(Object.entries(s.members).map(([m, spec]) => [m, pick(spec, KEEP_MEMBER_KEYS)]));
    if (s.member) kept.member = pick(s.member, KEEP_MEMBER_KEYS);
    if (s.key) kept.key = pick(s.key, KEEP_MEMBER_KEYS);
    if (s.value) kept.value = pick(s.value, KEEP_MEMBER_KEYS);
    shapes[name] = kept;
    for (const m of Object.values(s.members ?? {})) visit(m.shape);
    for (const part of [s.member, s.key, s.value]) if (part) visit(part.shape);
  };
  const ops = {};
  for (const op of operations) {
    const o = model.operations[op];
    if (!o) throw new Error(`operation ${op} missing from the model`);
    ops[op] = { name: o.name, input: o.input, output: o.output, errors: o.errors?.map((e) => ({ shape: e.shape })) ?? [] };
    visit(o.input?.shape);
    visit(o.output?.shape);
    for (const e of o.errors ?? []) visit(e.shape);
  }
  const sortObject = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return { version: model.version, metadata: pick(model.metadata, ['apiVersion', 'protocol', 'serviceId', 'serviceFullName', 'targetPrefix', 'uid']), operations: ops, shapes: sortObject(shapes) };
}

// One operation or shape a line: small, and a model update shows as a readable diff.
function compactJson(model) {
  const block = (obj) => `{\n${Object.entries(obj).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n }`;
  return `{\n "version": ${JSON.stringify(model.version)},\n "metadata": ${JSON.stringify(model.metadata)},\n "operations": ${block(model.operations)},\n "shapes": ${block(model.shapes)}\n}\n`;
}

function main(argv) {
  const opts = parseArgs(argv);
  const src = reader(opts);
  for (const [service, { dir, operations }] of Object.entries(WANTED)) {
    const model = JSON.parse(src.read(`botocore/data/${dir}/service-2.json`));
    const trimmed = trim(model, operations);
    const file = path.join(HERE, `${service}.json`);
    fs.writeFileSync(file, compactJson(trimmed));
    process.stdout.write(`${service}: ${operations.length} operations, ${Object.keys(trimmed.shapes).length} shapes -> ${path.relative(process.cwd(), file)}\n`);
  }
  fs.writeFileSync(path.join(HERE, 'LICENSE'), src.read('LICENSE.txt'));
  const notice = [
    'The JSON files in this folder are trimmed copies of AWS API models from botocore',
    '(https://github.com/boto/botocore, botocore/data/<service>/<version>/service-2.json),',
    `commit ${src.commit}${src.date ? ` (${src.date})` : ''}, licensed under the Apache License 2.0 (LICENSE beside this file).`,
    '',
    'Botocore',
    'Copyright 2012-2022 Amazon.com, Inc. or its affiliates. All Rights Reserved.',
    '',
    'Modifications: only the operations the rehearsal gate mocks and the shapes reachable from their input, output and',
    'errors are kept; documentation strings are removed. Made by tests/rehearsal/models/extract.mjs.',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(HERE, 'NOTICE'), notice);
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`extract: error: ${e.message}\n`);
    process.exit(2);
  }
}
