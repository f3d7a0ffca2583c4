// AWS API models (botocore's service-2.json, trimmed by models/extract.mjs) and a validator that checks a request or
// a response against an operation's shapes as the service does: unknown and missing members, types, enums, patterns,
// lengths, ranges and list sizes. Each problem is one line with the JSON path where it is.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const MODELS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'models');
const cache = new Map();

export function loadModel(service) {
  if (!cache.has(service)) {
    const file = path.join(MODELS, `${service}.json`);
    if (!fs.existsSync(file)) return undefined;
    cache.set(service, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return cache.get(service);
}

// botocore patterns are Java regular expressions and, like Smithy's, not anchored: a match anywhere satisfies them.
const regexCache = new Map();
function regex(pattern) {
  if (!regexCache.has(pattern)) {
    let re;
    for (const flags of ['u', '']) {
      try {
        re = new RegExp(pattern, flags);
        break;
      } catch {
        // Java escapes such as \: are errors under the u flag: try without it
      }
    }
    regexCache.set(pattern, re ?? null);
  }
  return regexCache.get(pattern);
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const show = (v) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

/**
 * Problems of `value` against shape `shapeName` of `model`. Options: `lenientTimestamps` (a response's timestamp may be
 * an ISO string or epoch number, as Step Functions renders them), `blobAsJson` (lambda:invoke's Payload is JSON in
 * Step Functions), `extraTopLevel` (members Step Functions adds to a response, e.g. SdkHttpMetadata).
 */
export function validate(model, shapeName, value, where = '$', options = {}) {
  const problems = [];
  const visit = (name, v, at, depth) => {
    const shape = model.shapes[name];
    if (!shape) {
      problems.push(`${at}: shape ${name} is missing from the trimmed model (re-run models/extract.mjs)`);
      return;
    }
    switch (shape.type) {
      case 'structure': {
        if (typeOf(v) !== 'object') return void problems.push(`${at}: expected an object (${name}), got ${typeOf(v)} ${show(v)}`);
        const members = shape.members ?? {};
        for (const req of shape.required ?? []) {
          if (v[req] === undefined || v[req] === null) problems.push(`${at}: required member ${req} is missing (${name})`);
        }
        for (const [k, mv] of Object.entries(v)) {
          // An undefined member is not in the JSON that goes over the wire.
          if (mv === undefined || (depth === 0 && options.extraTopLevel?.includes(k))) continue;
          const spec = members[k];
          if (!spec) {
            const cased = Object.keys(members).find((m) => m.toLowerCase() === k.toLowerCase());
            const hint = cased ? `wrongly cased: the model's name is ${cased}` : `not a member of ${name} (members: ${Object.keys(members).join(', ')})`;
            problems.push(`${at}.${k}: unknown member, ${hint}`);
            continue;
          }
          if (mv === null && options.nullable) continue;
          visit(spec.shape, mv, `${at}.${k}`, depth + 1);
        }
        if (shape.union && Object.keys(v).length !== 1) problems.push(`${at}: exactly one member of union ${name} must be set`);
        return;
      }
      case 'list': {
        if (!Array.isArray(v)) return void problems.push(`${at}: expected a list (${name}), got ${typeOf(v)} ${show(v)}`);
        if (shape.min !== undefined && v.length < shape.min) problems.push(`${at}: list of ${v.length} is shorter than ${shape.min} (${name})`);
        if (shape.max !== undefined && v.length > shape.max) problems.push(`${at}: list of ${v.length} is longer than ${shape.max} (${name})`);
        v.forEach((item, i) => visit(shape.member.shape, item, `${at}[${i}]`, depth + 1));
        return;
      }
      case 'map': {
        if (typeOf(v) !== 'object') return void problems.push(`${at}: expected a map (${name}), got ${typeOf(v)} ${show(v)}`);
        const n = Object.keys(v).length;
        if (shape.min !== undefined && n < shape.min) problems.push(`${at}: map of ${n} entries is smaller than ${shape.min} (${name})`);
        if (shape.max !== undefined && n > shape.max) problems.push(`${at}: map of ${n} entries is larger than ${shape.max} (${name})`);
        for (const [k, mv] of Object.entries(v)) {
          visit(shape.key.shape, k, `${at} key ${JSON.stringify(k)}`, depth + 1);
          visit(shape.value.shape, mv, `${at}.${k}`, depth + 1);
        }
        return;
      }
      case 'string': {
        if (typeof v !== 'string') return void problems.push(`${at}: expected a string (${name}), got ${typeOf(v)} ${show(v)}`);
        if (shape.enum && !shape.enum.includes(v)) problems.push(`${at}: ${show(v)} is not one of ${shape.enum.join(' | ')} (${name})`);
        if (shape.min !== undefined && v.length < shape.min) problems.push(`${at}: ${show(v)} is shorter than ${shape.min} characters (${name})`);
        if (shape.max !== undefined && v.length > shape.max) problems.push(`${at}: ${show(v)} is longer than ${shape.max} characters (${name})`);
        if (shape.pattern) {
          const re = regex(shape.pattern);
          if (re && !re.test(v)) problems.push(`${at}: ${show(v)} does not match the pattern ${shape.pattern} (${name})`);
        }
        return;
      }
      case 'integer':
      case 'long': {
        if (!Number.isInteger(v)) return void problems.push(`${at}: expected an integer (${name}), got ${typeOf(v)} ${show(v)}`);
        break;
      }
      case 'float':
      case 'double': {
        if (typeof v !== 'number') return void problems.push(`${at}: expected a number (${name}), got ${typeOf(v)} ${show(v)}`);
        break;
      }
      case 'boolean': {
        if (typeof v !== 'boolean') problems.push(`${at}: expected a boolean (${name}), got ${typeOf(v)} ${show(v)}`);
        return;
      }
      case 'timestamp': {
        const ok = options.lenientTimestamps ? typeof v === 'number' || (typeof v === 'string' && !Number.isNaN(Date.parse(v))) : typeof v === 'number';
        if (!ok) problems.push(`${at}: expected a timestamp (${name}), got ${typeOf(v)} ${show(v)}`);
        return;
      }
      case 'blob': {
        if (!options.blobAsJson && typeof v !== 'string') problems.push(`${at}: expected base64 text (${name}), got ${typeOf(v)}`);
        return;
      }
      case 'document':
        return;
      default:
        problems.push(`${at}: shape type ${shape.type} of ${name} is not validated by the rehearsal`);
        return;
    }
    if (shape.min !== undefined && v < shape.min) problems.push(`${at}: ${v} is less than the minimum ${shape.min} (${name})`);
    if (shape.max !== undefined && v > shape.max) problems.push(`${at}: ${v} is more than the maximum ${shape.max} (${name})`);
  };
  visit(shapeName, value, where, 0);
  return problems;
}

/** The input and output shape names of an operation, or undefined when the model lacks it. */
export function operation(service, name) {
  const model = loadModel(service);
  const op = model?.operations[name];
  return op && { model, input: op.input?.shape, output: op.output?.shape, errors: op.errors.map((e) => e.shape) };
}
