#!/usr/bin/env node
// Deployability gate: would CloudFormation and AWS Lambda accept these templates today?
//   1. AWS's offline CloudFormation validator (@aws/cloudformation-validate, the engine behind the CDK's
//      "CloudFormation Validate" plugin: resource provider schemas plus cfn-lint's rules, WebAssembly), bundled
//      inside the pinned aws-cdk-lib npm package. FATAL and ERROR fail the gate; every WARN must be acknowledged in
//      acknowledged-warnings.json with a reason; INFO is counted only.
//   2. Lambda runtimes: every AWS::Lambda::Function's Runtime (literal, each value a Fn::FindInMap can select, each
//      Fn::If branch, a parameter's default and allowed values) is looked up in lambda-runtimes.json, a dated copy of
//      AWS Lambda's runtime deprecation table. A runtime that is deprecated or blocked on the day the gate runs, or
//      one the table does not know, fails the gate.
//   3. State machines: every AWS::StepFunctions::StateMachine definition (DefinitionString with its intrinsic functions
//      rendered to placeholders, or Definition) must be valid Amazon States Language (asl-validator: schema, paths,
//      transitions, task ARNs).
//
// Usage:
//   node tests/deploy-gate/deploy-gate.mjs --report <report.json> [--today yyyy-MM-dd] <template.json> [...]
// Exit codes: 0 pass, 1 findings, 2 usage or tool failure (message on stderr).

import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTemplates, makeResolver } from '../rehearsal/lib/templates.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_TOOL = 2;
const MIN_REASON_LENGTH = 20;
const BLOCKING = new Set(['FATAL', 'ERROR']);
const SEVERITIES = ['FATAL', 'ERROR', 'WARN', 'INFO'];

class ToolError extends Error {}

const USAGE = 'usage: node tests/deploy-gate/deploy-gate.mjs --report <report.json> [--today yyyy-MM-dd] <template.json> [...]';

function parseArgs(argv) {
  const opts = { report: undefined, today: undefined, templates: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--report' || a === '--today') {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ToolError(`${a} needs a value\n${USAGE}`);
      opts[a.slice(2)] = v;
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(EXIT_PASS);
    } else if (a.startsWith('-')) {
      throw new ToolError(`unknown option ${a}\n${USAGE}`);
    } else {
      opts.templates.push(a);
    }
  }
  if (!opts.report) throw new ToolError(`--report is required\n${USAGE}`);
  if (opts.templates.length === 0) throw new ToolError(`at least one template is required\n${USAGE}`);
  opts.today ??= new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.today)) throw new ToolError(`--today must be yyyy-MM-dd, got ${opts.today}`);
  return opts;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`cannot read ${file}: ${e.message}`);
  }
}

// ---------------------------------------------------------------- the validator
// The validator ships inside aws-cdk-lib (2.262+); its own npm releases lag behind, so it is resolved from there.
// Building its engine costs about 1.4 s, so one engine checks every template of a run (call close() when done).
export function openValidator() {
  const cdkLib = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  let entry;
  try {
    entry = require.resolve('@aws/cloudformation-validate', { paths: [cdkLib] });
  } catch {
    throw new ToolError(`@aws/cloudformation-validate not found inside ${cdkLib}: run npm ci (aws-cdk-lib >= 2.262 bundles it)`);
  }
  const module = require(entry);
  const engine = new module.CompositeEngine();
  return {
    version: readJson(path.join(path.dirname(entry), 'package.json')).version,
    awsCdkLib: readJson(path.join(cdkLib, 'package.json')).version,
    validate: (file) => engine.validateTemplate(new module.TemplateFile(file), { severityLevel: 'INFO' }).diagnostics,
    validateAsl: require('asl-validator'),
    aslVersion: readJson(require.resolve('asl-validator/package.json')).version,
    close: () => engine.free(),
  };
}

// ---------------------------------------------------------------- acknowledged warnings
export function loadAcknowledgements(file = path.join(HERE, 'acknowledged-warnings.json')) {
  const doc = readJson(file);
  return doc.acknowledgements.map((a, i) => {
    if (!a.ruleId || !a.message || !a.reason) throw new ToolError(`${file}: acknowledgement ${i} needs ruleId, message and reason`);
    if (a.reason.trim().length < MIN_REASON_LENGTH) throw new ToolError(`${file}: acknowledgement ${i} (${a.ruleId}) has no reviewable reason`);
    return { ...a, pattern: new RegExp(a.message), resourcePattern: a.resourceType ? new RegExp(`^(${a.resourceType})$`) : undefined, used: 0 };
  });
}

function acknowledgementFor(diagnostic, acknowledgements) {
  return acknowledgements.find(
    (a) =>
      a.ruleId === diagnostic.ruleId &&
      a.pattern.test(diagnostic.message) &&
      (!a.resourcePattern || a.resourcePattern.test(diagnostic.entity?.resourceType ?? '')),
  );
}

// ---------------------------------------------------------------- Lambda runtimes
export function loadRuntimeTable(file = path.join(HERE, 'lambda-runtimes.json')) {
  const doc = readJson(file);
  const byId = new Map(doc.runtimes.map((r) => [r.runtime, r]));
  return { readOn: doc.readOn, source: doc.source, byId };
}

// Every value a Runtime property can take at deploy time, or an `unresolved` note.
export function runtimeValues(value, tpl) {
  if (typeof value === 'string') return { values: [value] };
  if (value && typeof value === 'object') {
    if (Array.isArray(value['Fn::FindInMap'])) return findInMapValues(value['Fn::FindInMap'], tpl);
    if (Array.isArray(value['Fn::If'])) {
      const [, a, b] = value['Fn::If'];
      const ra = runtimeValues(a, tpl);
      const rb = runtimeValues(b, tpl);
      return ra.unresolved || rb.unresolved ? { unresolved: ra.unresolved ?? rb.unresolved } : { values: [...ra.values, ...rb.values] };
    }
    if (typeof value.Ref === 'string' && tpl.Parameters?.[value.Ref]) {
      // A parameter can only be checked when it is limited to known values (the default must be one of them).
      const allowed = (tpl.Parameters[value.Ref].AllowedValues ?? []).filter((v) => typeof v === 'string');
      return allowed.length > 0 ? { values: allowed } : { unresolved: `parameter ${value.Ref} accepts any runtime; give it AllowedValues` };
    }
  }
  return { unresolved: `cannot determine the runtime from ${JSON.stringify(value)}` };
}

function findInMapValues([mapName, topKey, secondKey], tpl) {
  const map = typeof mapName === 'string' ? tpl.Mappings?.[mapName] : undefined;
  if (!map) return { unresolved: `Fn::FindInMap names no mapping of this template: ${JSON.stringify(mapName)}` };
  // A key that is not a literal (Ref AWS::Region, say) can select any entry.
  const tops = typeof topKey === 'string' ? [topKey] : Object.keys(map);
  const values = [];
  for (const top of tops) {
    const entry = map[top];
    if (!entry) return { unresolved: `mapping ${mapName} has no key ${top}` };
    const seconds = typeof secondKey === 'string' ? [secondKey] : Object.keys(entry);
    for (const second of seconds) {
      if (typeof entry[second] === 'string') values.push(entry[second]);
      else if (typeof secondKey === 'string') return { unresolved: `mapping ${mapName}.${top} has no string ${second}` };
    }
  }
  return { values: [...new Set(values)] };
}

// Fails from the deprecation date, not only from the block date: AWS has moved block dates out more than once, and a
// function created on a deprecated runtime gets no more security patches.
export function runtimeStatus(runtime, table, today) {
  const row = table.byId.get(runtime);
  if (!row) return { status: 'unknown', detail: `${runtime} is not in lambda-runtimes.json (read ${table.readOn}): add its row from AWS's runtime table` };
  if (row.blockCreate && row.blockCreate <= today) return { status: 'blocked', detail: `AWS Lambda blocks creating ${runtime} functions since ${row.blockCreate} (deprecated ${row.deprecated})` };
  if (row.deprecated && row.deprecated <= today) return { status: 'deprecated', detail: `${runtime} is deprecated since ${row.deprecated} (no security patches); creation blocked from ${row.blockCreate}` };
  return { status: 'supported', detail: `deprecation ${row.deprecated}, creation blocked from ${row.blockCreate}` };
}

function checkRuntimes(tpl, table, today) {
  const out = [];
  for (const [logicalId, res] of Object.entries(tpl.Resources ?? {})) {
    if (res?.Type !== 'AWS::Lambda::Function') continue;
    const props = res.Properties ?? {};
    if (props.PackageType === 'Image') continue; // container images carry their own runtime
    const found = runtimeValues(props.Runtime, tpl);
    if (found.unresolved) {
      out.push({ resource: logicalId, runtime: null, status: 'unresolved', detail: found.unresolved });
      continue;
    }
    for (const runtime of found.values) out.push({ resource: logicalId, runtime, ...runtimeStatus(runtime, table, today) });
  }
  return out;
}

// ---------------------------------------------------------------- state machines
// Deploy-time values become placeholders of the right shape: ARNs where an ARN is expected, names elsewhere.
const PSEUDO = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '111111111111', 'AWS::URLSuffix': 'amazonaws.com' };
const placeholderArn = (name) => `arn:aws:placeholder:us-east-1:111111111111:${name}`;

export function renderIntrinsic(value, substitutions = {}) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return PSEUDO[value.Ref] ?? value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) {
      const [id, attribute] = value['Fn::GetAtt'];
      return String(attribute).endsWith('Arn') ? placeholderArn(id) : String(id);
    }
    if (value['Fn::ImportValue'] !== undefined) return placeholderArn('imported');
    if (Array.isArray(value['Fn::Join'])) {
      const [delimiter, parts] = value['Fn::Join'];
      return (Array.isArray(parts) ? parts : []).map((p) => renderIntrinsic(p, substitutions)).join(delimiter);
    }
    if (value['Fn::Sub'] !== undefined) {
      const [text, vars] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
      return text.replace(/\$\{([^}!]+)\}/g, (_, name) => (vars[name] !== undefined ? renderIntrinsic(vars[name], substitutions) : PSEUDO[name] ?? name));
    }
  }
  return 'placeholder';
}

// A Definition object: intrinsic functions inside it become placeholder strings.
function renderObject(node) {
  if (Array.isArray(node)) return node.map(renderObject);
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return renderIntrinsic(node);
    return Object.fromEntries(keys.map((k) => [k, renderObject(node[k])]));
  }
  return node;
}

export function checkStateMachines(tpl, validateAsl) {
  const out = [];
  for (const [logicalId, res] of Object.entries(tpl.Resources ?? {})) {
    if (res?.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const props = res.Properties ?? {};
    const substitutions = Object.fromEntries(Object.entries(props.DefinitionSubstitutions ?? {}).map(([k, v]) => [k, renderIntrinsic(v)]));
    let definition;
    if (props.Definition !== undefined) {
      definition = renderObject(props.Definition);
    } else if (props.DefinitionString !== undefined) {
      const text = renderIntrinsic(props.DefinitionString).replace(/\$\{([A-Za-z0-9_]+)\}/g, (m, name) => substitutions[name] ?? m);
      try {
        definition = JSON.parse(text);
      } catch (e) {
        out.push({ resource: logicalId, valid: false, errors: [`DefinitionString is not JSON: ${e.message}`] });
        continue;
      }
    } else {
      out.push({ resource: logicalId, valid: false, errors: ['no Definition or DefinitionString (an S3 definition cannot be checked here)'] });
      continue;
    }
    const result = validateAsl(definition, { checkPaths: true, checkArn: true });
    out.push({ resource: logicalId, valid: result.isValid, errors: result.errors.map((e) => `${e['Error code']}: ${e.Message}`) });
  }
  return out;
}

// ---------------------------------------------------------------- IAM policy sizes
// IAM refuses a customer managed policy over 6,144 characters and a role whose inline policies total over 10,240
// (white space not counted; IAM user guide, "IAM and AWS STS quotas"). The sizes depend on deploy-time values (ARNs,
// names), so each policy is rendered as the rehearsal renders definitions: realistic values, imports resolved through
// the exporting template of the same folder (one cloud assembly).
export const MANAGED_POLICY_LIMIT = 6144;
export const INLINE_POLICIES_LIMIT = 10240;

export function checkPolicySizes(files) {
  const byFolder = new Map();
  for (const f of files) byFolder.set(path.dirname(path.resolve(f)), [...(byFolder.get(path.dirname(path.resolve(f))) ?? []), f]);
  const out = [];
  const size = (node) => JSON.stringify(node).replace(/\s+/g, '').length;
  for (const group of byFolder.values()) {
    const entries = loadTemplates(group);
    const resolver = makeResolver(entries);
    for (const entry of entries) {
      for (const [logicalId, res] of Object.entries(entry.tpl.Resources ?? {})) {
        if (res?.Type === 'AWS::IAM::ManagedPolicy') {
          const chars = size(resolver.value(entry, res.Properties?.PolicyDocument ?? {}));
          out.push({ template: entry.path, resource: logicalId, kind: 'managed', chars, limit: MANAGED_POLICY_LIMIT, ok: chars <= MANAGED_POLICY_LIMIT });
        } else if (res?.Type === 'AWS::IAM::Role' && res.Properties?.Policies) {
          const chars = resolver.value(entry, res.Properties.Policies).reduce((n, p) => n + size(p.PolicyDocument ?? {}), 0);
          out.push({ template: entry.path, resource: logicalId, kind: 'inline', chars, limit: INLINE_POLICIES_LIMIT, ok: chars <= INLINE_POLICIES_LIMIT });
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- one template
function validate(validator, file, acknowledgements, runtimeTable, today) {
  const tpl = readJson(file);
  const diagnostics = validator.validate(file);
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  const blocking = [];
  const acknowledged = [];
  const unacknowledged = [];
  const byRule = {};
  for (const d of diagnostics) {
    counts[d.severity] = (counts[d.severity] ?? 0) + 1;
    const key = `${d.severity} ${d.ruleId}`;
    byRule[key] = (byRule[key] ?? 0) + 1;
    const finding = { ruleId: d.ruleId, severity: d.severity, resource: d.entity?.logicalId ?? null, resourceType: d.entity?.resourceType ?? null, path: d.propertyPath ?? null, message: d.message };
    if (BLOCKING.has(d.severity)) blocking.push(finding);
    else if (d.severity === 'WARN') {
      const ack = acknowledgementFor(d, acknowledgements);
      if (ack) {
        ack.used++;
        acknowledged.push({ ...finding, reason: ack.reason });
      } else unacknowledged.push(finding);
    }
  }
  const runtimes = checkRuntimes(tpl, runtimeTable, today);
  const stateMachines = checkStateMachines(tpl, validator.validateAsl);
  return {
    template: file,
    resources: Object.keys(tpl.Resources ?? {}).length,
    counts,
    byRule,
    blocking,
    acknowledged,
    unacknowledged,
    runtimes,
    stateMachines,
    passed:
      blocking.length === 0 &&
      unacknowledged.length === 0 &&
      runtimes.every((r) => r.status === 'supported') &&
      stateMachines.every((m) => m.valid),
  };
}

// ---------------------------------------------------------------- summary
export function summaryText(report) {
  const lines = [];
  for (const t of report.templates) {
    lines.push(`=== ${t.template}  [${t.passed ? 'PASS' : 'FAIL'}]  (${t.resources} resources)`);
    lines.push(`  validator: ${SEVERITIES.map((s) => `${t.counts[s]} ${s}`).join(', ')}`);
    for (const f of t.blocking) lines.push(`    ${f.severity.padEnd(6)} ${f.ruleId}  ${f.resource ?? '-'}  ${f.path ?? ''}  ${f.message}`);
    for (const f of t.unacknowledged) lines.push(`    WARN   ${f.ruleId}  ${f.resource ?? '-'}  ${f.message}  (not acknowledged)`);
    for (const m of t.stateMachines) lines.push(`  state machine ${m.resource}: ${m.valid ? 'valid ASL' : `INVALID ASL: ${m.errors.join('; ')}`}`);
    for (const r of t.runtimes) lines.push(`  runtime ${String(r.runtime).padEnd(14)} ${r.status.toUpperCase().padEnd(11)} ${r.resource}: ${r.detail}`);
  }
  const tot = report.totals;
  lines.push('');
  lines.push(`=== TOTAL: ${report.templates.length} template(s), ${tot.resources} resources, validator ${report.tools.cloudformationValidate} (aws-cdk-lib ${report.tools.awsCdkLib}), runtime table read ${report.runtimeTable.readOn}, today ${report.today}`);
  lines.push(`  diagnostics: ${SEVERITIES.map((s) => `${tot[s]} ${s}`).join(', ')}; WARN acknowledged ${tot.warnAcknowledged}, not acknowledged ${tot.warnUnacknowledged}`);
  lines.push('  per rule:');
  for (const [rule, n] of Object.entries(report.byRule).sort(([a], [b]) => SEVERITIES.indexOf(a.split(' ')[0]) - SEVERITIES.indexOf(b.split(' ')[0]) || a.localeCompare(b))) {
    lines.push(`    ${rule.padEnd(14)} ${String(n).padStart(5)}`);
  }
  lines.push(`  acknowledged warnings (acknowledged-warnings.json):`);
  for (const a of report.acknowledgements) lines.push(`    ${a.ruleId}  used ${a.used}x  ${a.reason}`);
  lines.push(`  Lambda functions: ${tot.functionRuntimes} runtime value(s) checked: ${tot.runtimesSupported} supported, ${tot.runtimesDeprecated} deprecated, ${tot.runtimesBlocked} blocked, ${tot.runtimesUnknown} unknown or unresolved`);
  lines.push(`  state machines: ${tot.stateMachines} checked, ${tot.stateMachinesInvalid} invalid`);
  const largest = [...report.policySizes].sort((a, b) => b.chars / b.limit - a.chars / a.limit)[0];
  lines.push(`  IAM policies: ${tot.policies} rendered, ${tot.policiesTooLarge} over IAM's size quota${largest ? `; largest ${largest.resource} (${largest.kind}) ${largest.chars} of ${largest.limit} characters` : ''}`);
  for (const p of report.policySizes.filter((x) => !x.ok)) lines.push(`    TOO LARGE  ${p.resource} (${p.kind})  ${p.chars} characters, IAM allows ${p.limit}  ${p.template}`);
  lines.push(`  RESULT: ${report.passed ? 'PASS' : 'FAIL'} (exit ${report.exitCode})`);
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- main
// Checks template files with an open validator; returns the report (acknowledgement use counts start at zero).
export function checkTemplates(validator, files, today, { acknowledgements = loadAcknowledgements(), runtimeTable = loadRuntimeTable() } = {}) {
  acknowledgements.forEach((a) => (a.used = 0));
  const templates = files.map((f) => {
    if (!fs.existsSync(f)) throw new ToolError(`template not found: ${f}`);
    return validate(validator, f, acknowledgements, runtimeTable, today);
  });
  const sum = (f) => templates.reduce((n, t) => n + f(t), 0);
  const runtimes = templates.flatMap((t) => t.runtimes);
  const byRule = {};
  for (const t of templates) for (const [k, n] of Object.entries(t.byRule)) byRule[k] = (byRule[k] ?? 0) + n;
  const totals = {
    resources: sum((t) => t.resources),
    ...Object.fromEntries(SEVERITIES.map((s) => [s, sum((t) => t.counts[s])])),
    warnAcknowledged: sum((t) => t.acknowledged.length),
    warnUnacknowledged: sum((t) => t.unacknowledged.length),
    functionRuntimes: runtimes.length,
    runtimesSupported: runtimes.filter((r) => r.status === 'supported').length,
    runtimesDeprecated: runtimes.filter((r) => r.status === 'deprecated').length,
    runtimesBlocked: runtimes.filter((r) => r.status === 'blocked').length,
    runtimesUnknown: runtimes.filter((r) => r.status === 'unknown' || r.status === 'unresolved').length,
    unusedAcknowledgements: acknowledgements.filter((a) => a.used === 0).length,
    stateMachines: sum((t) => t.stateMachines.length),
    stateMachinesInvalid: sum((t) => t.stateMachines.filter((m) => !m.valid).length),
  };
  const policySizes = checkPolicySizes(files);
  totals.policies = policySizes.length;
  totals.policiesTooLarge = policySizes.filter((p) => !p.ok).length;
  const passed = templates.every((t) => t.passed) && totals.policiesTooLarge === 0;
  return {
    schemaVersion: 1,
    passed,
    exitCode: passed ? EXIT_PASS : EXIT_FAIL,
    today,
    tools: { cloudformationValidate: validator.version, awsCdkLib: validator.awsCdkLib, aslValidator: validator.aslVersion },
    runtimeTable: { readOn: runtimeTable.readOn, source: runtimeTable.source },
    totals,
    byRule,
    acknowledgements: acknowledgements.map((a) => ({ ruleId: a.ruleId, message: a.message, reason: a.reason, used: a.used })),
    templates,
    policySizes,
  };
}

export async function main(argv) {
  const opts = parseArgs(argv);
  const missing = opts.templates.find((f) => !fs.existsSync(f));
  if (missing) throw new ToolError(`template not found: ${missing}`);
  const acknowledgements = loadAcknowledgements();
  const runtimeTable = loadRuntimeTable();
  const validator = openValidator();
  let report;
  try {
    report = checkTemplates(validator, opts.templates, opts.today, { acknowledgements, runtimeTable });
  } finally {
    validator.close();
  }
  fs.mkdirSync(path.dirname(path.resolve(opts.report)), { recursive: true });
  fs.writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
  process.stdout.write(summaryText(report));
  return report.exitCode;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // process.exit() drops what a piped stdout has not taken yet (a summary over the pipe's 64 KiB); exit once it has.
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write('', () => process.exit(code)),
    (e) => {
      process.stderr.write(e instanceof ToolError ? `deploy-gate: error: ${e.message}\n` : `deploy-gate: internal error: ${e?.stack ?? e}\n`);
      process.exit(EXIT_TOOL);
    },
  );
}
